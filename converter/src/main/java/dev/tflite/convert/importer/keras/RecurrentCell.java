package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ir.TensorData;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One kind of recurrent cell as the unrolled loop sees it: the input's projection for all steps at once (one matrix
 * product over [batch × steps, features] instead of one per step), then one step from that projection and the previous
 * state. A null state is the zero state Keras starts from, so the first step skips the products with it.
 */
interface RecurrentCell {
  /** The states the cell carries, the output first (LSTM: h, c; GRU and SimpleRNN: h). */
  int stateCount();

  /** [rows, features] → [rows, width()]: the input kernel (and the input bias) applied. */
  Operand<TFloat32> project(LayerContext c, Operand<TFloat32> x);

  /** Columns of {@link #project}'s result (gates × units). */
  long width();

  long units();

  /** The cell's weights as the fused op reads them: kernel, recurrent kernel, then the bias when the layer has one. */
  default List<Operand<TFloat32>> weights() {
    throw new UnsupportedOperationException("no fused form");
  }

  /** One step: {@code xw} [batch, width()] this step's projection, {@code state} the previous states (null at the first). */
  List<Operand<TFloat32>> step(LayerContext c, Operand<TFloat32> xw, List<Operand<TFloat32>> state);

  /** An activation setting, {@code fallback} when absent (configs always save both, with Keras' defaults tanh and sigmoid). */
  static String function(com.fasterxml.jackson.databind.JsonNode config, String key, String fallback) {
    return config.hasNonNull(key) ? Activations.name(config.get(key)) : fallback;
  }

  /** Columns [k × units, (k + 1) × units) of a [batch, gates × units] tensor: gate {@code k}. */
  static Operand<TFloat32> gate(LayerContext c, Operand<TFloat32> z, int k, long units, String name) {
    return columns(c, z, k * units, units, name);
  }

  /** Columns [from, from + width) of a [batch, columns] tensor (several adjacent gates). */
  static Operand<TFloat32> columns(LayerContext c, Operand<TFloat32> z, long from, long width, String name) {
    return c.tf.withName(name).slice(z, c.tf.constant(new long[] {0, from}), c.tf.constant(new long[] {-1, width}));
  }

  /** An activation in a scope of its own, so the same function used by several gates of a step gets distinct op names. */
  static Operand<TFloat32> activate(LayerContext c, String scope, String function, Operand<TFloat32> x) {
    return Activations.apply(c.inScope(c.tf.withSubScope(scope)), x, function);
  }

  /**
   * Whether an activation acts on each element alone, so applying it to several gates at once equals applying it to
   * each (softmax and log_softmax normalize over the gate's units and do not).
   */
  static boolean elementwise(String function) {
    return !function.equals("softmax") && !function.equals("log_softmax");
  }

  /** Columns [from, to) of a [rows, columns] weight, as a constant (a gate's part of a kernel split when the file is read). */
  static Operand<TFloat32> columns(LayerContext c, TensorData matrix, long from, long to, String name) {
    long[] shape = matrix.shape();
    long rows = shape.length == 1 ? 1 : shape[0];
    long cols = shape[shape.length - 1];
    float[] all = matrix.floats();
    float[] part = new float[(int) (rows * (to - from))];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(all, (int) (r * cols + from), part, (int) (r * (to - from)), (int) (to - from));
    }
    return c.constant(part, shape.length == 1 ? new long[] {to - from} : new long[] {rows, to - from}, name);
  }

  /** Row {@code row} of a [rows, columns] weight as a vector constant (GRU's input and recurrent bias rows). */
  static Operand<TFloat32> row(LayerContext c, TensorData matrix, int row, String name) {
    long cols = matrix.shape()[1];
    float[] part = new float[(int) cols];
    System.arraycopy(matrix.floats(), (int) (row * cols), part, 0, (int) cols);
    return c.constant(part, new long[] {cols}, name);
  }
}
