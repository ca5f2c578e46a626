package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;

/** Layers that move values without computing: flatten, reshape, permute, padding, upsampling. */
final class ShapeLayers {
  private ShapeLayers() {}

  /** Flatten; channels_first inputs are moved to channels_last first, as Keras does, so the feature order matches. */
  static Operand<TFloat32> flatten(LayerContext c) {
    long[] shape = c.inputShape();
    Operand<TFloat32> x = c.input();
    if (c.channelsFirst() && shape.length > 2) {
      int[] perm = new int[shape.length];
      for (int i = 1; i < shape.length - 1; i++) {
        perm[i] = i + 1;
      }
      perm[shape.length - 1] = 1;
      x = c.tf.withName("transpose").linalg.transpose(x, c.tf.constant(perm));
    }
    long features = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new UnsupportedLayerException("Flatten of an input with unknown dimensions " + Arrays.toString(shape));
      }
      features *= shape[i];
    }
    return c.tf.withName("Reshape").reshape(x, c.tf.constant(new long[] {-1, features}));
  }

  /** Reshape to the target shape; a -1 in it is worked out from the input's size (the batch stays the one -1). */
  static Operand<TFloat32> reshape(LayerContext c) {
    JsonNode target = c.config.get("target_shape");
    long[] in = c.inputShape();
    long size = 1;
    for (int i = 1; i < in.length; i++) {
      size *= in[i];
    }
    long[] shape = new long[target.size() + 1];
    shape[0] = -1;
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < target.size(); i++) {
      shape[i + 1] = target.get(i).asLong();
      if (shape[i + 1] == -1) {
        unknown = i + 1;
      } else {
        known *= shape[i + 1];
      }
    }
    if (unknown > 0) {
      if (size <= 0) {
        throw new UnsupportedLayerException("target_shape with -1 needs an input of known size, not " + Arrays.toString(in));
      }
      shape[unknown] = size / known;
    }
    return c.tf.withName("Reshape").reshape(c.input(), c.tf.constant(shape));
  }

  static Operand<TFloat32> zeroPadding1d(LayerContext c) {
    long[] p = c.ints("padding", 2, new long[] {1, 1});
    return c.tf.withName("Pad").pad(c.input(), c.tf.constant(new int[][] {{0, 0}, {(int) p[0], (int) p[1]}, {0, 0}}), c.tf.constant(0f));
  }

  static Operand<TFloat32> cropping1d(LayerContext c) {
    long[] crop = c.ints("cropping", 2, new long[] {1, 1});
    long[] in = c.inputShape();
    return slice(c, new int[] {0, (int) crop[0], 0}, new int[] {-1, (int) (in[1] - crop[0] - crop[1]), -1});
  }

  static Operand<TFloat32> cropping2d(LayerContext c) {
    c.requireChannelsLast();
    JsonNode p = c.config.get("cropping");
    long[][] crop = new long[2][2];
    for (int i = 0; i < 2; i++) {
      JsonNode d = p.isNumber() ? p : p.get(i);
      crop[i] = d.isNumber() ? new long[] {d.asLong(), d.asLong()} : new long[] {d.get(0).asLong(), d.get(1).asLong()};
    }
    long[] in = c.inputShape();
    return slice(c, new int[] {0, (int) crop[0][0], (int) crop[1][0], 0},
        new int[] {-1, (int) (in[1] - crop[0][0] - crop[0][1]), (int) (in[2] - crop[1][0] - crop[1][1]), -1});
  }

  static Operand<TFloat32> slice(LayerContext c, int[] begin, int[] size) {
    return c.tf.withName("Slice").slice(c.input(), c.tf.constant(begin), c.tf.constant(size));
  }

  /** UpSampling1D repeats each step: nearest-neighbour resizing of [N, W, 1, C] by an integer factor is exactly that. */
  static Operand<TFloat32> upSampling1d(LayerContext c) {
    long size = c.ints("size", 1, new long[] {2})[0];
    long[] in = c.inputShape();
    Operand<TFloat32> x = c.tf.withName("ExpandDims").expandDims(c.input(), c.tf.constant(2));
    Operand<TFloat32> y = c.tf.withName("repeat").image.resizeNearestNeighbor(x, c.tf.constant(new int[] {(int) (in[1] * size), 1}),
        ResizeNearestNeighbor.halfPixelCenters(true));
    return c.tf.withName("Squeeze").squeeze(y, org.tensorflow.op.core.Squeeze.axis(java.util.List.of(2L)));
  }

  static Operand<TFloat32> permute(LayerContext c) {
    JsonNode dims = c.config.get("dims");
    int[] perm = new int[dims.size() + 1];
    for (int i = 0; i < dims.size(); i++) {
      perm[i + 1] = dims.get(i).asInt();
    }
    return c.tf.withName("transpose").linalg.transpose(c.input(), c.tf.constant(perm));
  }

  static Operand<TFloat32> zeroPadding2d(LayerContext c) {
    c.requireChannelsLast();
    JsonNode p = c.config.get("padding");
    int[][] pads = new int[4][2];
    for (int i = 0; i < 2; i++) {
      JsonNode d = p.isNumber() ? p : p.get(i);
      pads[i + 1] = d.isNumber() ? new int[] {d.asInt(), d.asInt()} : new int[] {d.get(0).asInt(), d.get(1).asInt()};
    }
    return c.tf.withName("Pad").pad(c.input(), c.tf.constant(pads), c.tf.constant(0f));
  }

  /** UpSampling2D as Keras runs it: tf.image.resize (nearest or bilinear, half-pixel centers) to size times the input. */
  static Operand<TFloat32> upSampling2d(LayerContext c) {
    c.requireChannelsLast();
    long[] size = c.pair("size", new long[] {2, 2});
    long[] in = c.inputShape();
    return resize(c, c.input(), in[1] * size[0], in[2] * size[1], c.string("interpolation", "nearest"));
  }

  /** tf.image.resize without antialiasing: half-pixel centers for both methods. */
  static Operand<TFloat32> resize(LayerContext c, Operand<TFloat32> x, long height, long width, String interpolation) {
    Operand<org.tensorflow.types.TInt32> to = c.tf.constant(new int[] {(int) height, (int) width});
    return switch (interpolation) {
      case "nearest" -> c.tf.withName("resize").image.resizeNearestNeighbor(x, to, ResizeNearestNeighbor.halfPixelCenters(true));
      case "bilinear" -> c.tf.withName("resize").image.resizeBilinear(x, to, org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(true));
      default -> throw new UnsupportedLayerException("interpolation " + interpolation + " is not supported (nearest and bilinear are)");
    };
  }

  /** RepeatVector: [batch, features] → [batch, n, features], the input joined n times along a new steps axis. */
  static Operand<TFloat32> repeatVector(LayerContext c) {
    long n = (long) c.number("n", 1);
    long[] in = c.inputShape();
    Operand<TFloat32> one = c.tf.withName("ExpandDims").reshape(c.input(), c.tf.constant(new long[] {-1, 1, in[1]}));
    if (n == 1) {
      return one;
    }
    return c.tf.withName("repeat").concat(java.util.Collections.nCopies((int) n, one), c.tf.constant(1));
  }
}
