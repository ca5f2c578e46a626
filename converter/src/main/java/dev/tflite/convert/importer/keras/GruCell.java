package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ir.TensorData;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' GRU cell, gates z, r, h in Keras' column order. reset_after (Keras 2 and 3 default): the reset gate scales
 * the recurrent projection h U + b_r, with separate input and recurrent bias rows; otherwise it scales h before its
 * product with the candidate's part of U. The new state hh + z (h - hh) equals Keras' z h + (1 - z) hh with one op
 * fewer.
 */
final class GruCell implements RecurrentCell {
  private final LayerContext weights;
  private final long units;
  private final String activation;
  private final String recurrentActivation;
  private final boolean resetAfter;
  private final boolean useBias;

  GruCell(LayerContext weights) {
    this.weights = weights;
    this.units = weights.config.path("units").asLong();
    this.activation = RecurrentCell.function(weights.config, "activation", "tanh");
    this.recurrentActivation = RecurrentCell.function(weights.config, "recurrent_activation", "sigmoid");
    this.resetAfter = weights.bool("reset_after", true);
    this.useBias = weights.bool("use_bias", true);
    if (useBias) {
      long[] bias = weights.weightData("bias").shape();
      boolean twoRows = bias.length == 2 && bias[0] == 2;
      if (twoRows != resetAfter) {
        throw new UnsupportedLayerException("its bias has shape " + java.util.Arrays.toString(bias) + ", which does not fit reset_after="
            + resetAfter + " (Keras saves [2, 3 × units] with reset_after and [3 × units] without)");
      }
    }
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
    return 3 * units;
  }

  @Override
  public Operand<TFloat32> project(LayerContext c, Operand<TFloat32> x) {
    Operand<TFloat32> xw = c.tf.withName("MatMul").linalg.matMul(x, weights.weight("kernel"));
    if (!useBias) {
      return xw;
    }
    Operand<TFloat32> bias = resetAfter ? constant("input_bias", () -> RecurrentCell.row(weights, weights.weightData("bias"), 0, "input_bias"))
        : weights.weight("bias");
    return c.tf.withName("BiasAdd").nn.biasAdd(xw, bias);
  }

  /** A constant derived from the weights, made once for all steps and calls (kept with the layer's weight constants). */
  private Operand<TFloat32> constant(String key, java.util.function.Supplier<Operand<TFloat32>> make) {
    return weights.derivedWeight(key, make);
  }

  @Override
  public List<Operand<TFloat32>> step(LayerContext c, Operand<TFloat32> xw, List<Operand<TFloat32>> state) {
    Operand<TFloat32> h = state == null ? null : state.get(0);
    Operand<TFloat32> xz = RecurrentCell.gate(c, xw, 0, units, "x_z");
    Operand<TFloat32> xr = RecurrentCell.gate(c, xw, 1, units, "x_r");
    Operand<TFloat32> xh = RecurrentCell.gate(c, xw, 2, units, "x_h");
    Operand<TFloat32> zIn;
    Operand<TFloat32> candidateIn;
    if (resetAfter) {
      Operand<TFloat32> rz;
      Operand<TFloat32> rr;
      Operand<TFloat32> rh;
      if (h == null) { // h U is zero: the recurrent part is its bias row alone
        rz = useBias ? recurrentBias(0) : null;
        rr = useBias ? recurrentBias(1) : null;
        rh = useBias ? recurrentBias(2) : null;
      } else {
        Operand<TFloat32> inner = c.tf.withName("MatMul").linalg.matMul(h, weights.weight("recurrent_kernel"));
        if (useBias) {
          inner = c.tf.withName("BiasAdd").nn.biasAdd(inner, constant("recurrent_bias",
              () -> RecurrentCell.row(weights, weights.weightData("bias"), 1, "recurrent_bias")));
        }
        rz = RecurrentCell.gate(c, inner, 0, units, "h_z");
        rr = RecurrentCell.gate(c, inner, 1, units, "h_r");
        rh = RecurrentCell.gate(c, inner, 2, units, "h_h");
      }
      zIn = rz == null ? xz : c.tf.withName("add_z").math.add(xz, rz);
      if (rh == null) { // no bias and a zero state: r scales nothing
        candidateIn = xh;
      } else {
        Operand<TFloat32> r = RecurrentCell.activate(c, "reset_gate", recurrentActivation, c.tf.withName("add_r").math.add(xr, rr));
        candidateIn = c.tf.withName("add_h").math.add(xh, c.tf.withName("mul_rh").math.mul(r, rh));
      }
    } else if (h == null) { // reset before: r scales h, which is zero
      zIn = xz;
      candidateIn = xh;
    } else {
      Operand<TFloat32> hzr = c.tf.withName("MatMul_zr").linalg.matMul(h, constant("recurrent_kernel_zr",
          () -> RecurrentCell.columns(weights, weights.weightData("recurrent_kernel"), 0, 2 * units, "recurrent_kernel_zr")));
      zIn = c.tf.withName("add_z").math.add(xz, RecurrentCell.gate(c, hzr, 0, units, "h_z"));
      Operand<TFloat32> r = RecurrentCell.activate(c, "reset_gate", recurrentActivation,
          c.tf.withName("add_r").math.add(xr, RecurrentCell.gate(c, hzr, 1, units, "h_r")));
      Operand<TFloat32> hh = c.tf.withName("MatMul_h").linalg.matMul(c.tf.withName("mul_rh").math.mul(r, h), constant("recurrent_kernel_h",
          () -> RecurrentCell.columns(weights, weights.weightData("recurrent_kernel"), 2 * units, 3 * units, "recurrent_kernel_h")));
      candidateIn = c.tf.withName("add_h").math.add(xh, hh);
    }
    Operand<TFloat32> z = RecurrentCell.activate(c, "update_gate", recurrentActivation, zIn);
    Operand<TFloat32> candidate = RecurrentCell.activate(c, "candidate", activation, candidateIn);
    Operand<TFloat32> next = h == null
        ? c.tf.withName("h").math.sub(candidate, c.tf.withName("mul_z").math.mul(z, candidate))
        : c.tf.withName("h").math.add(candidate, c.tf.withName("mul_z").math.mul(z, c.tf.withName("sub").math.sub(h, candidate)));
    return List.of(next);
  }

  /** Gate {@code k}'s part of the recurrent bias row, a constant. */
  private Operand<TFloat32> recurrentBias(int k) {
    return constant("recurrent_bias_" + k, () -> {
      TensorData bias = weights.weightData("bias");
      float[] part = new float[(int) units];
      System.arraycopy(bias.floats(), (int) (3 * units + k * units), part, 0, (int) units);
      return weights.constant(part, new long[] {units}, "recurrent_bias_" + k);
    });
  }
}
