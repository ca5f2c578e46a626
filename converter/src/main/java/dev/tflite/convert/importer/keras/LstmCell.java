package dev.tflite.convert.importer.keras;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' LSTM cell: z = x W + h U + b split into gates i, f, c, o (Keras' column order); c' = f c + i act(z_c),
 * h' = o act(c'), i, f, o through the recurrent activation.
 */
final class LstmCell implements RecurrentCell {
  private final LayerContext weights;
  private final long units;
  private final String activation;
  private final String recurrentActivation;

  LstmCell(LayerContext weights) {
    this.weights = weights;
    this.units = weights.config.path("units").asLong();
    this.activation = RecurrentCell.function(weights.config, "activation", "tanh");
    this.recurrentActivation = RecurrentCell.function(weights.config, "recurrent_activation", "sigmoid");
  }

  @Override
  public int stateCount() {
    return 2;
  }

  @Override
  public long units() {
    return units;
  }

  @Override
  public long width() {
    return 4 * units;
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
    Operand<TFloat32> i;
    Operand<TFloat32> f = null;
    Operand<TFloat32> o;
    if (RecurrentCell.elementwise(recurrentActivation)) {
      // one activation over all four gates (the candidate's columns computed and left unused): two ops fewer a step
      Operand<TFloat32> gates = RecurrentCell.activate(c, "gates", recurrentActivation, z);
      i = RecurrentCell.gate(c, gates, 0, units, "i");
      f = state == null ? null : RecurrentCell.gate(c, gates, 1, units, "f");
      o = RecurrentCell.gate(c, gates, 3, units, "o");
    } else {
      i = RecurrentCell.activate(c, "input_gate", recurrentActivation, RecurrentCell.gate(c, z, 0, units, "i"));
      f = state == null ? null : RecurrentCell.activate(c, "forget_gate", recurrentActivation, RecurrentCell.gate(c, z, 1, units, "f"));
      o = RecurrentCell.activate(c, "output_gate", recurrentActivation, RecurrentCell.gate(c, z, 3, units, "o"));
    }
    Operand<TFloat32> g = RecurrentCell.activate(c, "candidate", activation, RecurrentCell.gate(c, z, 2, units, "g"));
    Operand<TFloat32> ig = c.tf.withName("mul_ig").math.mul(i, g);
    // c starts at zero: at the first step the forget gate multiplies nothing
    Operand<TFloat32> cell = state == null ? ig : c.tf.withName("c").math.add(c.tf.withName("mul_fc").math.mul(f, state.get(1)), ig);
    Operand<TFloat32> h = c.tf.withName("h").math.mul(o, RecurrentCell.activate(c, "cell_activation", activation, cell));
    return List.of(h, cell);
  }
}
