package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.Composites;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recurrent layers the Keras importer marked ({@link Composites}). A {@code keras_simple_rnn} composite becomes
 * one UNIDIRECTIONAL_SEQUENCE_RNN (same state handling as the LSTM below). A {@code keras_lstm} composite becomes one
 * UNIDIRECTIONAL_SEQUENCE_LSTM in the official converter's operand layout (ConvertKerasLSTMLayer): the Keras kernel
 * and recurrent kernel split into the four gates i, f, c, o and transposed to [units, inputs]; no peepholes,
 * projection or layer norm; the gate biases; the output and cell state as variable tensors; TANH (or the layer's
 * activation); batch-major; go_backwards as a REVERSE_V2 of the input. Where we differ from the official file: no cell
 * clip (it writes 10, which Keras does not do), and the states are rewritten with zeros (ZEROS_LIKE, TILE) at every run, at the
 * run's batch size, so the file is stateless like Keras' predict and works after a batch resize (the kernel updates
 * its state tensors in place: without that a second run would start from the first run's final state, and a state
 * tensor of a fixed [1, units] fails the kernel's batch check after a resize).
 * The lowered (unrolled) graph the mark wraps is the TensorFlow reference; its ops are left dead here and removed.
 * A composite written in its lowered form (an {@code unrolled} mark, or a full-integer conversion) passes that
 * result through, and the conversion result names the layer and why.
 */
final class RecurrentComposites {
  private static final int GATES = 4;

  private RecurrentComposites() {}

  /** A marked node ({@link Composites#isMarker}); the Legalizer sends every one here, not through the registry. */
  static void legalize(LegalizeContext ctx) {
    String kind = ctx.stringAttr(Composites.KIND, "");
    String layer = ctx.stringAttr(Composites.LAYER, ctx.name());
    boolean fusable = kind.equals(Composites.KERAS_LSTM) || kind.equals(Composites.KERAS_SIMPLE_RNN);
    if (fusable && ctx.unfusedReason(kind) == null) {
      if (kind.equals(Composites.KERAS_LSTM)) {
        lstm(ctx);
      } else {
        simpleRnn(ctx);
      }
      return;
    }
    String reason = fusable ? ctx.unfusedReason(kind) : ctx.stringAttr(Composites.REASON, "not fused");
    boolean[] dynamic = ctx.input(Composites.INPUT).dynamicDims();
    if (dynamic.length > 1 && dynamic[1]) {
      // the unrolled steps are as many as the length the model was built at: the file would read only that many
      throw new UnsupportedNodeException(layer + " is unrolled over its steps (" + reason + "), and its input's sequence length is open;"
          + " set the length with <inputShapes> (CLI --input-shape), or use a layer the fused kernels run (LSTM, SimpleRNN) in none or"
          + " dynamic-range to keep it open");
    }
    ctx.note(layer + " unrolled: " + reason);
    for (int i = 0; i < ctx.inputCount(); i++) {
      ctx.alias(i, ctx.input(i));
    }
  }

  /**
   * A Keras SimpleRNN as UNIDIRECTIONAL_SEQUENCE_RNN: weights [units, inputs] and recurrent weights [units, units]
   * (the Keras kernels transposed), the bias, the hidden state as a variable tensor zeroed at every run.
   */
  private static void simpleRnn(LegalizeContext ctx) {
    Tensor x = input(ctx);
    TensorData kernel = ctx.constantInput(Composites.WEIGHTS, "kernel");
    TensorData recurrent = ctx.constantInput(Composites.WEIGHTS + 1, "recurrent kernel");
    long units = recurrent.shape()[0];
    TensorData bias = ctx.inputCount() > Composites.WEIGHTS + 2 ? ctx.constantInput(Composites.WEIGHTS + 2, "bias")
        : TensorData.ofFloats(new long[] {units}, new float[(int) units]);
    Tensor state = zeroState(ctx, x, batchZeros(ctx, x), units, "hidden_state");
    ctx.graph().replacedByFusedOp(ctx.input(Composites.RESULT));
    ctx.emit(OpType.UNIDIRECTIONAL_SEQUENCE_RNN, List.of(x, ctx.constant("input_weights", gateMatrix(kernel, 0, units, 1)),
        ctx.constant("recurrent_weights", gateMatrix(recurrent, 0, units, 1)), ctx.constant("bias", bias), state), ctx.output(Composites.RESULT),
        new OpOptions.SequenceRnn(false, activation(ctx.stringAttr(Composites.ACTIVATION, "tanh")), false));
  }

  /** The layer's input, reversed along time for go_backwards (the kernels read steps in order). */
  private static Tensor input(LegalizeContext ctx) {
    Tensor x = ctx.input(Composites.INPUT);
    if (ctx.boolAttr(Composites.GO_BACKWARDS, false)) {
      Tensor reversed = ctx.intermediate("reversed_input", x.type(), x.shape());
      reversed.setDynamicDims(x.dynamicDims());
      ctx.emit(OpType.REVERSE_V2, List.of(x, ctx.constant("time_axis", ConstantLayouts.int32Vector(1))), reversed, new OpOptions.None());
      return reversed;
    }
    return x;
  }

  private static void lstm(LegalizeContext ctx) {
    Tensor x = input(ctx);
    TensorData kernel = ctx.constantInput(Composites.WEIGHTS, "kernel");
    TensorData recurrent = ctx.constantInput(Composites.WEIGHTS + 1, "recurrent kernel");
    long units = recurrent.shape()[0];
    int cellStatesAt = ctx.hasAttr(Composites.CELL_STATES) ? (int) ctx.attr(Composites.CELL_STATES).getI() : -1;
    int weightsEnd = cellStatesAt >= 0 ? cellStatesAt : ctx.inputCount();
    TensorData bias = weightsEnd > Composites.WEIGHTS + 2 ? ctx.constantInput(Composites.WEIGHTS + 2, "bias")
        : TensorData.ofFloats(new long[] {GATES * units}, new float[(int) (GATES * units)]);
    Tensor output = ctx.output(Composites.RESULT);
    ctx.graph().replacedByFusedOp(ctx.input(Composites.RESULT));
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(x);
    String[] gate = {"input", "forget", "cell", "output"};
    for (int g = 0; g < GATES; g++) {
      inputs.add(ctx.constant("input_to_" + gate[g] + "_weights", gateMatrix(kernel, g, units, GATES)));
    }
    for (int g = 0; g < GATES; g++) {
      inputs.add(ctx.constant("recurrent_to_" + gate[g] + "_weights", gateMatrix(recurrent, g, units, GATES)));
    }
    inputs.addAll(Arrays.asList(null, null, null)); // peepholes
    for (int g = 0; g < GATES; g++) {
      inputs.add(ctx.constant(gate[g] + "_gate_bias", gateBias(bias, g, units)));
    }
    inputs.addAll(Arrays.asList(null, null)); // projection
    Tensor batchZeros = batchZeros(ctx, x);
    inputs.add(zeroState(ctx, x, batchZeros, units, "output_state"));
    Tensor cellState = zeroState(ctx, x, batchZeros, units, "cell_state");
    inputs.add(cellState);
    if (cellStatesAt >= 0) { // the int8 kernel's cell state is quantized from its range at every step, in TensorFlow
      ctx.graph().calibrateFromReference(cellState, ctx.inputName(cellStatesAt));
    }
    inputs.addAll(Arrays.asList(null, null, null, null)); // layer-norm coefficients
    ctx.emit(OpType.UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, output,
        new OpOptions.UnidirectionalSequenceLstm(activation(ctx.stringAttr(Composites.ACTIVATION, "tanh")), 0f, 0f, false, false));
  }

  /** Gate {@code g}'s columns of a Keras [rows, gates × units] kernel, transposed to the kernel's [units, rows]. */
  private static TensorData gateMatrix(TensorData kernel, int g, long units, int gates) {
    long rows = kernel.shape()[0];
    float[] all = kernel.floats();
    float[] out = new float[(int) (units * rows)];
    for (int u = 0; u < units; u++) {
      for (int r = 0; r < rows; r++) {
        out[(int) (u * rows + r)] = all[(int) (r * gates * units + g * units + u)];
      }
    }
    return TensorData.ofFloats(new long[] {units, rows}, out);
  }

  private static TensorData gateBias(TensorData bias, int g, long units) {
    return TensorData.ofFloats(new long[] {units}, Arrays.copyOfRange(bias.floats(), (int) (g * units), (int) ((g + 1) * units)));
  }

  /**
   * A [batch, units] variable tensor written with zeros before every run at the run's batch size: ZEROS_LIKE of the
   * input's first step and feature ([batch, 1], taken by STRIDED_SLICE) tiled to [batch, units]. Every shape here
   * follows from the input's at prepare time, so nothing in the file turns dynamic (a FILL from the input's SHAPE
   * would, and runtimes then report stale output shapes until the first run).
   */
  private static Tensor zeroState(LegalizeContext ctx, Tensor x, Tensor batchZeros, long units, String name) {
    Tensor state = ctx.intermediate(name, DType.FLOAT32, new long[] {x.dim(0), units});
    state.setDynamicDims(new boolean[] {x.dynamicDims().length > 0 && x.dynamicDims()[0], false});
    state.markVariable();
    ctx.emit(OpType.TILE, List.of(batchZeros, ctx.constant(name + "/multiples", ConstantLayouts.int32Vector(1, units))), state, new OpOptions.None());
    return state;
  }

  /** [batch, 1] zeros at the input's batch size. */
  private static Tensor batchZeros(LegalizeContext ctx, Tensor x) {
    boolean dynamicBatch = x.dynamicDims().length > 0 && x.dynamicDims()[0];
    Tensor first = ctx.intermediate("first_feature", x.type(), new long[] {x.dim(0), 1});
    first.setDynamicDims(new boolean[] {dynamicBatch, false});
    // x[:, 0, 0:1]: begin and end masks on the batch, the steps axis shrunk
    ctx.emit(OpType.STRIDED_SLICE, List.of(x, ctx.constant("first_begin", ConstantLayouts.int32Vector(0, 0, 0)),
        ctx.constant("first_end", ConstantLayouts.int32Vector(0, 1, 1)), ctx.constant("first_strides", ConstantLayouts.int32Vector(1, 1, 1))),
        first, new OpOptions.StridedSlice(1, 1, 2));
    Tensor zeros = ctx.intermediate("batch_zeros", x.type(), new long[] {x.dim(0), 1});
    zeros.setDynamicDims(new boolean[] {dynamicBatch, false});
    ctx.emit(OpType.ZEROS_LIKE, List.of(first), zeros, new OpOptions.None());
    return zeros;
  }

  private static Activation activation(String keras) {
    return switch (keras) {
      case "tanh" -> Activation.TANH;
      case "relu" -> Activation.RELU;
      case "relu6" -> Activation.RELU6;
      default -> throw new UnsupportedNodeException("the fused LSTM cannot apply activation " + keras);
    };
  }
}
