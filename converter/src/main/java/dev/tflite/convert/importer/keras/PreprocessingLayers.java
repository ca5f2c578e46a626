package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Preprocessing layers that are part of the saved model: rescaling, normalization, resizing, cropping. */
final class PreprocessingLayers {
  /** Keras' backend epsilon: Normalization divides by max(sqrt(variance), epsilon). */
  private static final double KERAS_EPSILON = 1e-7;

  private PreprocessingLayers() {}

  static Operand<TFloat32> rescaling(LayerContext c) {
    return c.tf.withName("add").math.add(c.tf.withName("mul").math.mul(c.input(), c.tf.constant((float) c.number("scale", 1))),
        c.tf.constant((float) c.number("offset", 0)));
  }

  /** Variables: the adapted mean, variance and count, unless the config gives mean and variance itself. */
  static boolean normalizationHasVariables(JsonNode config) {
    return !config.hasNonNull("mean");
  }

  /**
   * (x - mean) / max(sqrt(variance), eps) as x * scale + shift, folded per kept axis (invert: x * max(sqrt(var), eps) +
   * mean).
   */
  static Operand<TFloat32> normalization(LayerContext c) {
    long[] in = c.inputShape();
    int rank = in.length;
    java.util.List<Integer> keep = new java.util.ArrayList<>();
    JsonNode axis = c.config.get("axis");
    if (axis == null || axis.isNull()) {
      keep.add(rank - 1);
    } else {
      (axis.isArray() ? axis : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(axis)).forEach(a -> keep.add(a.asInt() < 0 ? a.asInt() + rank : a.asInt()));
    }
    java.util.Collections.sort(keep);
    long[] broadcast = new long[rank];
    int n = 1;
    for (int d = 0; d < rank; d++) {
      broadcast[d] = keep.contains(d) ? in[d] : 1;
      n *= (int) broadcast[d];
    }
    float[] mean = values(c, "mean", n);
    float[] variance = values(c, "variance", n);
    boolean invert = c.bool("invert", false);
    float[] scale = new float[n];
    float[] shift = new float[n];
    for (int i = 0; i < n; i++) {
      double deviation = Math.max(Math.sqrt(variance[i]), KERAS_EPSILON);
      scale[i] = (float) (invert ? deviation : 1 / deviation);
      shift[i] = (float) (invert ? mean[i] : -mean[i] / deviation);
    }
    return c.tf.withName("add").math.add(c.tf.withName("mul").math.mul(c.input(), c.constant(scale, broadcast, "scale")),
        c.constant(shift, broadcast, "shift"));
  }

  private static float[] values(LayerContext c, String key, int n) {
    float[] out = new float[n];
    if (c.config.hasNonNull(key)) {
      JsonNode v = c.config.get(key);
      for (int i = 0; i < n; i++) {
        out[i] = (float) (v.isArray() ? v.get(v.size() == 1 ? 0 : i).asDouble() : v.asDouble());
      }
      return out;
    }
    float[] stored = c.weightData(key).floats();
    for (int i = 0; i < n; i++) {
      out[i] = stored[stored.length == 1 ? 0 : i];
    }
    return out;
  }

  static Operand<TFloat32> resizing(LayerContext c) {
    c.requireChannelsLast();
    if (c.bool("crop_to_aspect_ratio", false) || c.bool("pad_to_aspect_ratio", false)) {
      throw new UnsupportedLayerException("crop_to_aspect_ratio and pad_to_aspect_ratio are not supported");
    }
    return ShapeLayers.resize(c, c.input(), (long) c.number("height", 0), (long) c.number("width", 0), c.string("interpolation", "bilinear"));
  }

  /** CenterCrop of an input at least as large as the crop: the middle window, odd margins larger at the end. */
  static Operand<TFloat32> centerCrop(LayerContext c) {
    c.requireChannelsLast();
    long[] in = c.inputShape();
    int h = (int) c.number("height", 0);
    int w = (int) c.number("width", 0);
    if (in[1] < h || in[2] < w) {
      throw new UnsupportedLayerException("an input smaller than the crop (" + in[1] + "x" + in[2] + " < " + h + "x" + w + ") is resized by Keras;"
          + " that is not supported");
    }
    return ShapeLayers.slice(c, new int[] {0, (int) (in[1] - h) / 2, (int) (in[2] - w) / 2, 0}, new int[] {-1, h, w, -1});
  }
}
