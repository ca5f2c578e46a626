package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import org.tensorflow.Operand;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/** Normalization layers at inference, with their statistics folded into per-channel constants where Keras' are fixed. */
final class NormalizationLayers {
  private NormalizationLayers() {}

  /** Inference batch norm on the last axis: x * gamma / sqrt(var + eps) + (beta - mean * gamma / sqrt(var + eps)). */
  static Operand<TFloat32> batchNormalization(LayerContext c) {
    int rank = c.input().shape().numDimensions();
    int axis = c.axis("axis", -1);
    if (axis != rank - 1) {
      throw new UnsupportedLayerException("axis " + axis + " is not supported; only the last (channels) axis");
    }
    float[] gamma = c.bool("scale", true) ? c.weightData("gamma").floats() : null;
    float[] beta = c.bool("center", true) ? c.weightData("beta").floats() : null;
    float[] mean = c.weightData("moving_mean").floats();
    float[] variance = c.weightData("moving_variance").floats();
    double epsilon = c.number("epsilon", 1e-3);
    float[] multiplier = new float[mean.length];
    float[] shift = new float[mean.length];
    for (int ch = 0; ch < mean.length; ch++) {
      multiplier[ch] = (float) ((gamma == null ? 1 : gamma[ch]) / Math.sqrt(variance[ch] + epsilon));
      shift[ch] = (beta == null ? 0 : beta[ch]) - mean[ch] * multiplier[ch];
    }
    long[] shape = {mean.length};
    return c.tf.withName("batchnorm_add").math.add(c.tf.withName("batchnorm_mul").math.mul(c.input(), c.constant(multiplier, shape, "batchnorm_scale")),
        c.constant(shift, shape, "batchnorm_shift"));
  }

  /** LayerNormalization as Keras computes it: inv = rsqrt(var + eps) * gamma; x * inv + (beta - mean * inv). */
  static Operand<TFloat32> layerNormalization(LayerContext c) {
    if (c.bool("rms_scaling", false)) {
      throw new UnsupportedLayerException("rms_scaling is not supported");
    }
    long[] in = c.inputShape();
    int[] axes = axes(c, in.length);
    long[] broadcast = new long[in.length];
    java.util.Arrays.fill(broadcast, 1);
    for (int a : axes) {
      broadcast[a] = in[a];
    }
    Operand<TFloat32> x = c.input();
    Operand<TFloat32> mean = c.tf.withName("mean").math.mean(x, c.tf.constant(axes), Mean.keepDims(true));
    Operand<TFloat32> inv = c.tf.withName("Rsqrt").math.rsqrt(c.tf.withName("add_epsilon").math.add(variance(c, x, mean, axes),
        c.tf.constant((float) c.number("epsilon", 1e-3))));
    if (c.bool("scale", true)) {
      inv = c.tf.withName("mul_gamma").math.mul(inv, c.constant(c.weightData("gamma").reshaped(broadcast), "gamma"));
    }
    Operand<TFloat32> shift = c.tf.withName("neg_mean_inv").math.neg(c.tf.withName("mean_inv").math.mul(mean, inv));
    if (c.bool("center", true)) {
      shift = c.tf.withName("add_beta").math.add(shift, c.constant(c.weightData("beta").reshaped(broadcast), "beta"));
    }
    return c.tf.withName("add").math.add(c.tf.withName("mul").math.mul(x, inv), shift);
  }

  /**
   * GroupNormalization (channels last): [N, S, G, C/G] normalized over S and C/G, back to the input's shape, then
   * gamma and beta per channel.
   */
  static Operand<TFloat32> groupNormalization(LayerContext c) {
    long[] in = c.inputShape();
    if (c.axis("axis", -1) != in.length - 1) {
      throw new UnsupportedLayerException("only the last (channels) axis is supported");
    }
    long groups = (long) c.number("groups", 32);
    long spatial = 1;
    for (int i = 1; i < in.length - 1; i++) {
      spatial *= in[i];
    }
    long channels = in[in.length - 1];
    Operand<TFloat32> x = c.tf.withName("reshape_groups").reshape(c.input(), c.tf.constant(new long[] {-1, spatial, groups, channels / groups}));
    int[] axes = {1, 3};
    Operand<TFloat32> mean = c.tf.withName("mean").math.mean(x, c.tf.constant(axes), Mean.keepDims(true));
    Operand<TFloat32> centered = c.tf.withName("centered").math.sub(x, mean);
    Operand<TFloat32> inv = c.tf.withName("Rsqrt").math.rsqrt(c.tf.withName("add_epsilon").math.add(
        c.tf.withName("variance").math.mean(c.tf.withName("square").math.mul(centered, centered), c.tf.constant(axes), Mean.keepDims(true)),
        c.tf.constant((float) c.number("epsilon", 1e-3))));
    long[] back = in.clone();
    back[0] = -1;
    Operand<TFloat32> y = c.tf.withName("reshape_back").reshape(c.tf.withName("normalized").math.mul(centered, inv), c.tf.constant(back));
    if (c.bool("scale", true)) {
      y = c.tf.withName("mul_gamma").math.mul(y, c.weight("gamma"));
    }
    if (c.bool("center", true)) {
      y = c.tf.withName("add_beta").math.add(y, c.weight("beta"));
    }
    return y;
  }

  /** UnitNormalization: x * min(rsqrt(sum(x^2)), 1 / 1e-12) over the axes (Keras' L2 normalize). */
  static Operand<TFloat32> unitNormalization(LayerContext c) {
    Operand<TFloat32> x = c.input();
    Operand<TFloat32> squareSum = c.tf.withName("square_sum").sum(c.tf.withName("square").math.mul(x, x), c.tf.constant(axes(c, c.inputShape().length)),
        org.tensorflow.op.core.Sum.keepDims(true));
    Operand<TFloat32> inv = c.tf.withName("inv_norm").math.minimum(c.tf.withName("Rsqrt").math.rsqrt(squareSum), c.tf.constant(1e12f));
    return c.tf.withName("mul").math.mul(x, inv);
  }

  private static Operand<TFloat32> variance(LayerContext c, Operand<TFloat32> x, Operand<TFloat32> mean, int[] axes) {
    Operand<TFloat32> centered = c.tf.withName("centered").math.sub(x, mean);
    return c.tf.withName("variance").math.mean(c.tf.withName("square").math.mul(centered, centered), c.tf.constant(axes), Mean.keepDims(true));
  }

  /** The {@code axis} setting (an int or a list), as non-negative axes. */
  private static int[] axes(LayerContext c, int rank) {
    JsonNode axis = c.config.get("axis");
    if (axis == null || axis.isNull()) {
      return new int[] {rank - 1};
    }
    JsonNode list = axis.isArray() ? axis : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(axis);
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      int a = list.get(i).asInt();
      out[i] = a < 0 ? a + rank : a;
    }
    java.util.Arrays.sort(out);
    return out;
  }
}
