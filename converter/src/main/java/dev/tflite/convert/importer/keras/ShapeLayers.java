package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;

/** Layers that move values without computing: flatten, reshape, permute, padding, upsampling. */
final class ShapeLayers {
  private ShapeLayers() {}

  static Operand<TFloat32> flatten(LayerContext c) {
    long[] shape = c.inputShape();
    long features = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new UnsupportedLayerException("Flatten of an input with unknown dimensions " + Arrays.toString(shape));
      }
      features *= shape[i];
    }
    return c.tf.withName("Reshape").reshape(c.input(), c.tf.constant(new long[] {-1, features}));
  }

  static Operand<TFloat32> reshape(LayerContext c) {
    JsonNode target = c.config.get("target_shape");
    long[] shape = new long[target.size() + 1];
    shape[0] = -1;
    for (int i = 0; i < target.size(); i++) {
      shape[i + 1] = target.get(i).asLong();
    }
    return c.tf.withName("Reshape").reshape(c.input(), c.tf.constant(shape));
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

  /** UpSampling2D(nearest) as Keras runs it: tf.image.resize(nearest), i.e. ResizeNearestNeighbor with half-pixel centers. */
  static Operand<TFloat32> upSampling2d(LayerContext c) {
    c.requireChannelsLast();
    if (!c.string("interpolation", "nearest").equals("nearest")) {
      throw new UnsupportedLayerException("interpolation " + c.string("interpolation", "") + " is not supported (only nearest)");
    }
    long[] size = c.pair("size", new long[] {2, 2});
    long[] in = c.inputShape();
    return c.tf.withName("resize").image.resizeNearestNeighbor(c.input(), c.tf.constant(new int[] {(int) (in[1] * size[0]), (int) (in[2] * size[1])}),
        ResizeNearestNeighbor.halfPixelCenters(true));
  }
}
