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
    Operand<TFloat32> xh = RecurrentCell.gate(c, xw, 2, units, "x_h");
    Operand<TFloat32> zrIn; // the update and reset gates' inputs side by side, [batch, 2 units]
    if (resetAfter) {
      Operand<TFloat32> inner = null; // h U + b_r, the recurrent projection the reset gate scales
      Operand<TFloat32> rh = null;
      if (h != null) {
        inner = c.tf.withName("MatMul").linalg.matMul(h, weights.weight("recurrent_kernel"));
        if (useBias) {
          inner = c.tf.withName("BiasAdd").nn.biasAdd(inner, constant("recurrent_bias",
              () -> RecurrentCell.row(weights, weights.weightData("bias"), 1, "recurrent_bias")));
        }
        rh = RecurrentCell.gate(c, inner, 2, units, "h_h");
      } else if (useBias) { // h U is zero: the recurrent part is its bias row alone
        inner = constant("recurrent_bias", () -> RecurrentCell.row(weights, weights.weightData("bias"), 1, "recurrent_bias"));
        rh = recurrentBias(2);
      }
      Operand<TFloat32> sum = inner == null ? xw : h == null ? c.tf.withName("add_zr").nn.biasAdd(xw, inner) : c.tf.withName("add_zr").math.add(xw, inner);
      zrIn = RecurrentCell.columns(c, sum, 0, 2 * units, "zr_in");
      return List.of(next(c, zrIn, xh, rh, h)); // rh null (no bias, zero state): r scales nothing
    } else if (h == null) { // reset before: r scales h, which is zero
      return List.of(next(c, RecurrentCell.columns(c, xw, 0, 2 * units, "zr_in"), xh, null, null));
    }
    Operand<TFloat32> hzr = c.tf.withName("MatMul_zr").linalg.matMul(h, constant("recurrent_kernel_zr",
        () -> RecurrentCell.columns(weights, weights.weightData("recurrent_kernel"), 0, 2 * units, "recurrent_kernel_zr")));
    zrIn = c.tf.withName("add_zr").math.add(RecurrentCell.columns(c, xw, 0, 2 * units, "x_zr"), hzr);
    Operand<TFloat32>[] zr = updateAndReset(c, zrIn);
    Operand<TFloat32> hh = c.tf.withName("MatMul_h").linalg.matMul(c.tf.withName("mul_rh").math.mul(zr[1], h), constant("recurrent_kernel_h",
        () -> RecurrentCell.columns(weights, weights.weightData("recurrent_kernel"), 2 * units, 3 * units, "recurrent_kernel_h")));
    Operand<TFloat32> candidateIn = c.tf.withName("add_h").math.add(xh, hh);
    return List.of(blend(c, zr[0], RecurrentCell.activate(c, "candidate", activation, candidateIn), h));
  }

  /**
   * reset_after (or a zero state): the candidate from x_h + r (h U + b_r)_h, then the new state from {@code h} (null:
   * the zero state); {@code rh} null: no reset term.
   */
  private Operand<TFloat32> next(LayerContext c, Operand<TFloat32> zrIn, Operand<TFloat32> xh, Operand<TFloat32> rh, Operand<TFloat32> h) {
    Operand<TFloat32>[] zr = updateAndReset(c, zrIn);
    Operand<TFloat32> candidateIn = rh == null ? xh : c.tf.withName("add_h").math.add(xh, c.tf.withName("mul_rh").math.mul(zr[1], rh));
    return blend(c, zr[0], RecurrentCell.activate(c, "candidate", activation, candidateIn), h);
  }

  /** z and r from their inputs side by side: one activation for both when it acts element by element. */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] updateAndReset(LayerContext c, Operand<TFloat32> zrIn) {
    if (RecurrentCell.elementwise(recurrentActivation)) {
      Operand<TFloat32> zr = RecurrentCell.activate(c, "update_reset_gates", recurrentActivation, zrIn);
      return new Operand[] {RecurrentCell.gate(c, zr, 0, units, "z"), RecurrentCell.gate(c, zr, 1, units, "r")};
    }
    return new Operand[] {RecurrentCell.activate(c, "update_gate", recurrentActivation, RecurrentCell.gate(c, zrIn, 0, units, "z_in")),
        RecurrentCell.activate(c, "reset_gate", recurrentActivation, RecurrentCell.gate(c, zrIn, 1, units, "r_in"))};
  }

  /** The new state hh + z (h - hh); from a zero state hh - z hh. */
  private static Operand<TFloat32> blend(LayerContext c, Operand<TFloat32> z, Operand<TFloat32> candidate, Operand<TFloat32> h) {
    return h == null
        ? c.tf.withName("h").math.sub(candidate, c.tf.withName("mul_z").math.mul(z, candidate))
        : c.tf.withName("h").math.add(candidate, c.tf.withName("mul_z").math.mul(z, c.tf.withName("sub").math.sub(h, candidate)));
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
