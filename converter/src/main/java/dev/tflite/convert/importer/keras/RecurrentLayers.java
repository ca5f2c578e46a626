package dev.tflite.convert.importer.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * LSTM, GRU and SimpleRNN, unrolled over the static sequence length into matrix products, slices, element-wise ops
 * and activations: every op a TensorFlow Lite builtin since long before 2.6, so the file needs neither Flex
 * (TensorList) ops nor a control-flow loop, and each step's products quantize like any Dense layer. The input's
 * projection is one product for all steps; each step slices its rows, adds the state's product and applies the
 * gates. Outputs as Keras returns them: the last output or the whole sequence (in processing order, so reversed with
 * go_backwards), then the final states with return_state.
 */
final class RecurrentLayers {
  private RecurrentLayers() {}

  /** A recurrent layer kind: its cell's class-independent name in the weight files, and how to make the cell. */
  record Kind(String className, String cellName, Function<LayerContext, RecurrentCell> cell) {}

  static final Kind LSTM = new Kind("LSTM", "lstm_cell", LstmCell::new);
  static final Kind GRU = new Kind("GRU", "gru_cell", GruCell::new);
  static final Kind SIMPLE_RNN = new Kind("SimpleRNN", "simple_rnn_cell", SimpleRnnCell::new);

  static List<String> variables(com.fasterxml.jackson.databind.JsonNode config) {
    return config.path("use_bias").asBoolean(true) ? List.of("kernel", "recurrent_kernel", "bias") : List.of("kernel", "recurrent_kernel");
  }

  static LayerRegistry.OutputsLowering lowering(Kind kind) {
    return c -> unroll(c, kind, false);
  }

  /**
   * The layer's outputs. {@code sequenceInTimeOrder}: a backward pass's sequence put back in time order (what
   * Bidirectional does with it), made so by the order the steps' outputs are joined, not by an extra reverse op.
   */
  static List<Operand<TFloat32>> unroll(LayerContext c, Kind kind, boolean sequenceInTimeOrder) {
    if (c.bool("stateful", false)) {
      throw new UnsupportedLayerException("stateful=True keeps the state between predict calls, which a TensorFlow Lite model cannot carry;"
          + " re-create the layer with stateful=False and load the same weights (model.set_weights), or feed the state as an input with"
          + " initial_state in a functional model");
    }
    if (c.bool("time_major", false)) {
      throw new UnsupportedLayerException("time_major=True is not supported; use batch-major inputs [batch, steps, features]");
    }
    long[] shape = c.inputShape();
    if (shape.length != 3 || shape[1] <= 0 || shape[2] <= 0) {
      throw new UnsupportedLayerException("its input has shape " + Arrays.toString(shape) + "; the converter unrolls recurrent layers over a"
          + " static sequence length, so declare it in the Input layer (e.g. keras.Input((50, features))) or set it with <inputShapes>");
    }
    int steps = (int) shape[1];
    long features = shape[2];
    Ops tf = c.tf;
    RecurrentCell cell = kind.cell().apply(c.wrapped(c.name, c.config, List.of(kind.cellName()), variables(c.config), tf.withSubScope("cell")));
    String layer = kind.className() + " '" + c.name + "'";
    String unfused = RecurrentMarks.whyNotFused(c, kind);
    Operand<TFloat32> input = unfused == null ? c.input() : RecurrentMarks.unrolled(c, c.input(), layer, unfused);
    Operand<TFloat32> rows = tf.withName("flatten_steps").reshape(input, tf.constant(new long[] {-1, features}));
    Operand<TFloat32> projected = tf.withName("input_projection").reshape(cell.project(c.inScope(tf.withSubScope("input_projection")), rows),
        tf.constant(new long[] {-1, steps, cell.width()}));
    boolean backwards = c.bool("go_backwards", false);
    // initial_state passed as a call argument (an encoder's final states starting a decoder): the first step reads it;
    // without one the state starts at Keras' zeros, which the first step skips
    List<Operand<TFloat32>> state = initialState(c, cell);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    List<Operand<TFloat32>> cellStates = new ArrayList<>(); // an LSTM's c at every step: the int8 kernel's cell-state range
    Operand<TBool> mask = CallMasks.mask(c, 0);
    // Keras' zero_output_for_mask (Bidirectional forces it to return_sequences): masked steps of the sequence read 0
    // rather than the carried output
    boolean zeroOutput = mask != null && (sequenceInTimeOrder ? c.bool("return_sequences", false) : c.bool("zero_output_for_mask", false));
    List<MaskedStep> stepMasks = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      int t = backwards ? steps - 1 - s : s;
      LayerContext step = c.inScope(tf.withSubScope("step_" + s));
      // step t's rows, the steps axis dropped (shrink_axis_mask): one STRIDED_SLICE rather than a slice and a reshape
      Operand<TFloat32> xw = step.tf.withName("x").stridedSlice(projected, step.tf.constant(new long[] {0, t, 0}),
          step.tf.constant(new long[] {0, t + 1, 0}), step.tf.constant(new long[] {1, 1, 1}), StridedSlice.beginMask(5L), StridedSlice.endMask(5L),
          StridedSlice.shrinkAxisMask(2L));
      List<Operand<TFloat32>> next = cell.step(step, xw, state);
      if (mask == null) {
        state = next;
        outputs.add(state.get(0));
        if (kind == LSTM) {
          cellStates.add(state.get(1));
        }
        continue;
      }
      MaskedStep masked = new MaskedStep(step, mask, t);
      stepMasks.add(masked);
      Operand<TFloat32> previousOutput = outputs.isEmpty() ? null : outputs.get(outputs.size() - 1);
      outputs.add(masked.keep(next.get(0), previousOutput, "output"));
      List<Operand<TFloat32>> kept = new ArrayList<>();
      for (int i = 0; i < next.size(); i++) {
        kept.add(masked.keep(next.get(i), state == null ? null : state.get(i), "state_" + i));
      }
      state = kept;
    }
    if (zeroOutput) { // Keras' where(mask, outputs, 0) after the loop: the carried outputs of masked steps become 0
      for (int s = 0; s < outputs.size(); s++) {
        outputs.set(s, stepMasks.get(s).keep(outputs.get(s), null, "zero_output"));
      }
    }
    List<Operand<TFloat32>> results = new ArrayList<>();
    if (unfused == null) {
      // the whole sequence, in processing order, is what the fused op computes; the last step and the time order are
      // taken from it as the official converter does (STRIDED_SLICE, REVERSE_V2)
      Operand<TFloat32> cells = cellStates.isEmpty() ? null : sequence(tf.withSubScope("cell_states"), cellStates, cell.units());
      Operand<TFloat32> marked = RecurrentMarks.fused(c, kind, c.input(), sequence(tf, outputs, cell.units()), cell.weights(), cells, layer);
      Operand<TFloat32> last = null;
      if (!c.bool("return_sequences", false) || c.bool("return_state", false)) {
        last = tf.withName("last_step").stridedSlice(marked, tf.constant(new long[] {0, -1, 0}), tf.constant(new long[] {0, 0, 0}),
            tf.constant(new long[] {1, 1, 1}), StridedSlice.beginMask(5L), StridedSlice.endMask(5L), StridedSlice.shrinkAxisMask(2L));
      }
      if (!c.bool("return_sequences", false)) {
        results.add(last);
      } else if (backwards && sequenceInTimeOrder) {
        results.add(tf.withName("time_order").reverse(marked, tf.constant(new long[] {1})));
      } else {
        results.add(marked);
      }
      if (c.bool("return_state", false)) { // a SimpleRNN's state is its last output (an LSTM with return_state is not fused)
        results.add(last);
      }
      return results;
    }
    if (c.bool("return_sequences", false)) {
      List<Operand<TFloat32>> ordered = new ArrayList<>(outputs);
      if (backwards && sequenceInTimeOrder) {
        java.util.Collections.reverse(ordered);
      }
      results.add(sequence(tf, ordered, cell.units()));
    } else {
      results.add(outputs.get(outputs.size() - 1));
    }
    if (c.bool("return_state", false)) {
      results.addAll(state);
    }
    return results;
  }

  /**
   * One step's mask (column t of [batch, steps], as [batch, 1] to broadcast over the units) and Keras' choice by it: the
   * step's new value where kept, the previous one where masked (SELECT_V2), or 0 where there is no previous value
   * (the zero state, the first output), then a product with the 0/1 mask, exact, and no zeros tensor is needed.
   */
  private static final class MaskedStep {
    private final LayerContext c;
    private final Operand<TBool> keep;
    private Operand<TFloat32> keepFloat;

    MaskedStep(LayerContext c, Operand<TBool> mask, int t) {
      this.c = c;
      this.keep = c.tf.withName("mask").stridedSlice(mask, c.tf.constant(new long[] {0, t}), c.tf.constant(new long[] {0, t + 1}),
          c.tf.constant(new long[] {1, 1}), StridedSlice.beginMask(1L), StridedSlice.endMask(1L));
    }

    Operand<TFloat32> keepFloat() {
      if (keepFloat == null) {
        keepFloat = c.tf.withName("mask_float").dtypes.cast(keep, TFloat32.class);
      }
      return keepFloat;
    }

    Operand<TFloat32> keep(Operand<TFloat32> value, Operand<TFloat32> previous, String name) {
      return previous == null ? c.tf.withName(name + "_masked").math.mul(value, keepFloat())
          : c.tf.withName(name + "_masked").select(keep, value, previous);
    }
  }

  private static List<Operand<TFloat32>> initialState(LayerContext c, RecurrentCell cell) {
    List<Operand<TFloat32>> given = CallMasks.tensorsAfterFirst(c);
    if (given.isEmpty()) {
      return null;
    }
    if (given.size() != cell.stateCount()) {
      throw new UnsupportedLayerException("it is called with " + given.size() + " extra tensor(s); initial_state takes "
          + cell.stateCount() + " (constants are not supported)");
    }
    for (int i = 0; i < given.size(); i++) {
      long[] shape = given.get(i).shape().asArray();
      if (shape.length != 2 || shape[1] != cell.units()) {
        throw new UnsupportedLayerException("its initial_state " + (i + 1) + " has shape " + Arrays.toString(shape) + "; it must be [batch, "
            + cell.units() + "]");
      }
    }
    return List.copyOf(given);
  }

  /** The steps' [batch, units] outputs as [batch, steps, units]: joined along the units axis, then one reshape. */
  static Operand<TFloat32> sequence(Ops tf, List<Operand<TFloat32>> outputs, long units) {
    Operand<TFloat32> joined = outputs.size() == 1 ? outputs.get(0) : tf.withName("sequence_concat").concat(outputs, tf.constant(1));
    return tf.withName("sequence").reshape(joined, tf.constant(new long[] {-1, outputs.size(), units}));
  }
}
