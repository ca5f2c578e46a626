package dev.tflite.convert.importer.keras;

import dev.tflite.convert.tf.Composites;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Marks each unrolled recurrent layer for legalization ({@link Composites}): an LSTM or SimpleRNN that
 * UNIDIRECTIONAL_SEQUENCE_LSTM / UNIDIRECTIONAL_SEQUENCE_RNN computes exactly is marked as a composite over its whole
 * output sequence; any other layer is marked {@code unrolled} with the reason, which the conversion result names.
 */
final class RecurrentMarks {
  /** Cell activations the sequence LSTM and RNN kernels apply themselves (their fused activation), by Keras name. */
  static final Set<String> FUSED_ACTIVATIONS = Set.of("tanh", "relu", "relu6");

  private RecurrentMarks() {}

  /** Why a Keras recurrent layer cannot be the fused op, or null when it can. */
  static String whyNotFused(LayerContext c, RecurrentLayers.Kind kind) {
    if (CallMasks.mask(c, 0) != null) {
      return "an implicit mask (Masking or Embedding mask_zero: the fused kernels run every step, a masked step keeps the previous state)";
    }
    if (!CallMasks.tensorsAfterFirst(c).isEmpty()) {
      return "initial_state (the fused kernels start from their zeroed state tensors)";
    }
    if (kind == RecurrentLayers.GRU) {
      return "TensorFlow Lite has no fused GRU builtin";
    }
    if (kind == RecurrentLayers.SIMPLE_RNN) {
      String activation = RecurrentCell.function(c.config, "activation", "tanh");
      return FUSED_ACTIVATIONS.contains(activation) ? null
          : "activation " + activation + " (the fused RNN kernel applies tanh, relu or relu6)";
    }
    String recurrent = RecurrentCell.function(c.config, "recurrent_activation", "sigmoid");
    if (!recurrent.equals("sigmoid")) {
      return "recurrent_activation " + recurrent + " (the fused LSTM kernel's gates are sigmoid)";
    }
    String activation = RecurrentCell.function(c.config, "activation", "tanh");
    if (!FUSED_ACTIVATIONS.contains(activation)) {
      return "activation " + activation + " (the fused LSTM kernel applies tanh, relu or relu6; its none leaves the cell output unwritten)";
    }
    if (c.bool("return_state", false)) {
      return "return_state (the fused LSTM keeps its final cell state inside the kernel)";
    }
    return null;
  }

  /**
   * The fused mark over {@code sequence} [batch, steps, units] (in processing order); returns what consumers read.
   * {@code cellStates}: an LSTM's cell state at every step ([batch, steps, units], null for a SimpleRNN), the last
   * operand, whose range in TensorFlow calibrates the int8 kernel's cell state.
   */
  static Operand<TFloat32> fused(LayerContext c, RecurrentLayers.Kind kind, Operand<TFloat32> input, Operand<TFloat32> sequence,
      List<Operand<TFloat32>> weights, Operand<TFloat32> cellStates, String layer) {
    List<Operand<TFloat32>> all = new ArrayList<>();
    all.add(input);
    all.add(sequence);
    all.addAll(weights);
    if (cellStates != null) {
      all.add(cellStates);
    }
    boolean lstm = kind == RecurrentLayers.LSTM;
    return mark(c, lstm ? "fused_lstm" : "fused_rnn", all, lstm ? Composites.KERAS_LSTM : Composites.KERAS_SIMPLE_RNN, layer, null, RecurrentCell.function(c.config, "activation", "tanh"),
        c.bool("go_backwards", false), cellStates == null ? -1 : all.size() - 1);
  }

  /**
   * The unrolled mark, over the layer's input (an output may also be a returned state, which a pass-through there
   * would make one tensor of); returns the input the unrolled steps read.
   */
  static Operand<TFloat32> unrolled(LayerContext c, Operand<TFloat32> input, String layer, String reason) {
    return mark(c, "unrolled", List.of(input, input), Composites.UNROLLED, layer, reason, null, false, -1);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> mark(LayerContext c, String name, List<Operand<TFloat32>> operands, String kind, String layer, String reason,
      String activation, boolean backwards, int cellStatesAt) {
    Scope scope = c.tf.scope();
    Output<?>[] outputs = operands.stream().map(Operand::asOutput).toArray(Output[]::new);
    DataType[] types = new DataType[outputs.length];
    java.util.Arrays.fill(types, DataType.DT_FLOAT);
    GraphOperationBuilder builder = (GraphOperationBuilder) scope.env().opBuilder("IdentityN", scope.makeOpName(name), scope);
    builder.addInputList(outputs).setAttr("T", types).setAttr(Composites.KIND, kind).setAttr(Composites.LAYER, layer);
    if (reason != null) {
      builder.setAttr(Composites.REASON, reason);
    }
    if (activation != null) {
      builder.setAttr(Composites.ACTIVATION, activation);
      builder.setAttr(Composites.GO_BACKWARDS, backwards);
    }
    if (cellStatesAt >= 0) {
      builder.setAttr(Composites.CELL_STATES, cellStatesAt);
    }
    Operation op = builder.build();
    return (Operand<TFloat32>) (Operand<?>) op.output(Composites.RESULT);
  }
}
