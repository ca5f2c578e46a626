package dev.tflite.convert.importer.keras;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras' SimpleRNN cell: h' = act(x W + b + h U). */
final class SimpleRnnCell implements RecurrentCell {
  private final LayerContext weights;
  private final long units;
  private final String activation;

  SimpleRnnCell(LayerContext weights) {
    this.weights = weights;
    this.units = weights.config.path("units").asLong();
    this.activation = RecurrentCell.function(weights.config, "activation", "tanh");
  }

  @Override
  public int stateCount() {
    return 1;
  }

  @Override
  public long units() {
    return units;
  }

  @Override
  public long width() {
    return units;
  }

  @Override
  public List<Operand<TFloat32>> weights() {
    return weights.bool("use_bias", true)
        ? List.of(weights.weight("kernel"), weights.weight("recurrent_kernel"), weights.weight("bias"))
        : List.of(weights.weight("kernel"), weights.weight("recurrent_kernel"));
  }

  @Override
  public Operand<TFloat32> project(LayerContext c, Operand<TFloat32> x) {
    Operand<TFloat32> xw = c.tf.withName("MatMul").linalg.matMul(x, weights.weight("kernel"));
    return weights.bool("use_bias", true) ? c.tf.withName("BiasAdd").nn.biasAdd(xw, weights.weight("bias")) : xw;
  }

  @Override
  public List<Operand<TFloat32>> step(LayerContext c, Operand<TFloat32> xw, List<Operand<TFloat32>> state) {
    Operand<TFloat32> z = state == null ? xw
        : c.tf.withName("add").math.add(xw, c.tf.withName("MatMul").linalg.matMul(state.get(0), weights.weight("recurrent_kernel")));
    return List.of(RecurrentCell.activate(c, "activation", activation, z));
  }
}
