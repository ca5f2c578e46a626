package dev.tflite.convert.importer.keras;

import org.tensorflow.Operand;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Dense, Embedding, and the layers that are the identity at inference (dropout and noise). */
final class CoreLayers {
  private CoreLayers() {}

  /** Dense on the last axis; higher-rank inputs go through a reshape, as Keras' tensordot does. */
  static Operand<TFloat32> dense(LayerContext c) {
    Operand<TFloat32> x = c.input();
    long[] shape = c.inputShape();
    long in = shape[shape.length - 1];
    if (shape.length > 2) {
      x = c.tf.withName("Tensordot_Reshape").reshape(x, c.tf.constant(new long[] {-1, in}));
    }
    Operand<TFloat32> y = c.tf.withName("MatMul").linalg.matMul(x, c.weight("kernel"));
    if (c.bool("use_bias", true)) {
      y = c.tf.withName("BiasAdd").nn.biasAdd(y, c.weight("bias"));
    }
    if (shape.length > 2) {
      long[] out = shape.clone();
      out[0] = -1;
      out[out.length - 1] = c.weightData("kernel").shape()[1];
      y = c.tf.withName("Tensordot").reshape(y, c.tf.constant(out));
    }
    return c.activate(y);
  }

  /**
   * Embedding: a gather of rows of the embedding matrix by the token ids (tf.nn.embedding_lookup). Float ids are
   * cast to int32 first, as Keras does (truncation toward zero).
   */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> embedding(LayerContext c) {
    Operand<?> input = c.input();
    Operand<TInt32> ids = input.asOutput().dataType() == DataType.DT_INT32 ? (Operand<TInt32>) input
        : c.tf.withName("Cast").dtypes.cast(c.input(), TInt32.class);
    return c.tf.withName("embedding_lookup").gather(c.weight("embeddings"), ids, c.tf.constant(0));
  }

  /**
   * Masking: the masked steps (every feature equal to mask_value) set to 0, as Keras' where(mask, x, 0) does, here a
   * product with the mask as 0/1 (exact for finite values, and a MUL quantizes where a SELECT_V2 of a constant may not).
   */
  static Operand<TFloat32> masking(LayerContext c) {
    Operand<TFloat32> keep = c.tf.withName("mask_steps").expandDims(c.tf.withName("mask_float").dtypes.cast(c.ownMask, TFloat32.class),
        c.tf.constant(-1));
    return c.tf.withName("masked").math.mul(c.input(), keep);
  }

  /** Dropout, noise and other training-only layers pass their input through at inference. */
  static Operand<TFloat32> identity(LayerContext c) {
    return c.input();
  }
}
