package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.quantize.calibrate.TensorRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The int8 UNIDIRECTIONAL_SEQUENCE_LSTM as TensorFlow Lite's integer kernel (8x8_16: int8 input, weights and output
 * state, int16 cell state) reads it: the eight gate matrices int8 symmetric per tensor; each gate bias int32 at the
 * input scale times that gate's input-weight scale (the kernel adds it to the input product's accumulator); the
 * output state int8 with the output's parameters (the kernel copies it into the output at every step), symmetric
 * (zero point 0), because TensorFlow Lite 2.6.2's kernel drops the hidden state's zero point: with an asymmetric
 * output its results were shifted by that many steps (0.025 on a 5-unit LSTM), 2.18's were not; the cell
 * state int16 symmetric at a power-of-two scale (the kernel's tanh and products shift by its exponent, which must be
 * -9 or less), from the cell's range at every step that the TensorFlow reference gives; and five intermediate
 * tensors: the four gates' (int16, Q3.12: read only with layer normalization, which Keras' LSTM has not) and the
 * hidden state's (int8, the output's parameters). The state tensors are variables zeroed at every run: the zeros are
 * made in float at the run's batch size and quantized into them (QUANTIZE of 0 is the zero point).
 */
final class SequenceLstmQuantization {
  private static final int GATES = 4;
  private static final int OUTPUT_STATE = 18;
  private static final int CELL_STATE = 19;
  /** The widest cell-state scale the kernel accepts: 2^-9, a range of ±64. */
  private static final int WIDEST_CELL_EXPONENT = -9;

  private SequenceLstmQuantization() {}

  /**
   * Rewrites {@code op} in place. {@code quantizedInput}: the int8 copy of a float activation (with its calibrated
   * parameters); {@code output}: the output's parameters.
   */
  static void rewrite(Graph graph, Operator op, Function<Tensor, Tensor> quantizedInput, Quantization output, TensorRanges ranges) {
    // an input another integer op wrote (a stacked LSTM's) is int8 already, with the parameters it was written with
    Tensor x = op.input(0).type() == DType.INT8 ? op.input(0) : quantizedInput.apply(op.input(0));
    op.setInput(0, x);
    float inputScale = x.quantization().scales()[0];
    for (int g = 0; g < GATES; g++) {
      WeightQuantization.Quantized inputWeights = weights(graph, op, 1 + g);
      weights(graph, op, 5 + g);
      Tensor bias = op.input(12 + g);
      Quantization q = new Quantization(new float[] {inputScale * inputWeights.quantization().scales()[0]}, new long[1], 0);
      op.setInput(12 + g, constant(graph, bias, QuantizedValues.encode(bias.data(), q, DType.INT32), q));
    }
    op.output(0).retype(DType.INT8, output);
    op.setInput(OUTPUT_STATE, zeroedState(graph, op, op.input(OUTPUT_STATE), DType.INT8, output));
    op.setInput(CELL_STATE, zeroedState(graph, op, op.input(CELL_STATE), DType.INT16, cellParams(graph, op, ranges.get(op.input(CELL_STATE)))));
    List<Tensor> intermediates = new ArrayList<>();
    String[] gate = {"input", "forget", "cell", "output"};
    for (int g = 0; g < GATES; g++) {
      Tensor t = graph.newTensor(op.output(0).name() + "/" + gate[g] + "_gate_intermediate", DType.INT16, new long[0], op.origin());
      t.retype(DType.INT16, new Quantization(new float[] {(float) Math.pow(2, -12)}, new long[1], 0));
      intermediates.add(t);
    }
    Tensor hidden = graph.newTensor(op.output(0).name() + "/hidden_intermediate", DType.INT8, new long[0], op.origin());
    hidden.retype(DType.INT8, output);
    intermediates.add(hidden);
    op.setIntermediates(intermediates);
  }

  private static WeightQuantization.Quantized weights(Graph graph, Operator op, int index) {
    Tensor w = op.input(index);
    WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(w.data(), -1);
    op.setInput(index, constant(graph, w, q.data(), q.quantization()));
    return q;
  }

  private static Tensor constant(Graph graph, Tensor original, dev.tflite.convert.ir.TensorData data, Quantization q) {
    Tensor t = graph.newConstant(original.name(), data, original.origin());
    t.setQuantization(q);
    return t;
  }

  /** The float zero state (made at the run's batch size) quantized into the variable tensor the kernel updates. */
  private static Tensor zeroedState(Graph graph, Operator lstm, Tensor floatState, DType type, Quantization q) {
    floatState.unmarkVariable();
    Tensor state = graph.newTensor(floatState.name() + "/quantized", type, floatState.shape(), lstm.origin());
    state.retype(type, q);
    state.setDynamicDims(floatState.dynamicDims());
    state.markVariable();
    graph.insertBefore(lstm, new Operator(OpType.QUANTIZE, List.of(floatState), List.of(state), new OpOptions.None(), lstm.origin()));
    return state;
  }

  /** int8 with zero point 0 covering [min, max]: scale max(|min|, |max|) / 127. */
  static Quantization symmetricInt8(double min, double max) {
    double bound = Math.max(Math.max(Math.abs(min), Math.abs(max)), 1e-9);
    return new Quantization(new float[] {(float) (bound / 127)}, new long[1], 0);
  }

  /** int16 symmetric at the smallest power-of-two scale covering the calibrated cell range (at most 2^-9). */
  private static Quantization cellParams(Graph graph, Operator op, TensorRanges.Range range) {
    double bound = range == null ? 1 : Math.max(Math.abs(range.min()), Math.abs(range.max()));
    int exponent = (int) Math.ceil(Math.log(Math.max(bound, 1e-6) / 32767) / Math.log(2));
    if (exponent > WIDEST_CELL_EXPONENT) {
      graph.addNote(op.origin() + ": its int8 cell state reaches " + bound + ", beyond the ±64 the integer kernel's cell scale can hold; it saturates there");
      exponent = WIDEST_CELL_EXPONENT;
    }
    return new Quantization(new float[] {(float) Math.pow(2, exponent)}, new long[1], 0);
  }
}
