package dev.tflite.convert.importer.keras;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Preprocessing layers that are part of the saved model: rescaling, normalization, resizing, cropping. */
final class PreprocessingLayers {
  private PreprocessingLayers() {}

  static Operand<TFloat32> rescaling(LayerContext c) {
    return c.tf.withName("add").math.add(c.tf.withName("mul").math.mul(c.input(), c.tf.constant((float) c.number("scale", 1))),
        c.tf.constant((float) c.number("offset", 0)));
  }
}
