package dev.tflite.convert.importer.keras;

import org.tensorflow.Operand;
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
}
