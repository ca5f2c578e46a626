package dev.tflite.convert.tf;

import org.tensorflow.proto.NodeDef;

/**
 * A composite: a layer the Keras importer lowers to plain TensorFlow ops (what TensorFlow runs as the reference) and
 * also marks, so legalization can write it as one fused TensorFlow Lite builtin, as the official converter does with
 * functions carrying {@code _implements}. The mark is an IdentityN over the layer's input, its result and its weights
 * (so the weights stay in the graph however the layer used them) with {@link #KIND} naming the composite; the
 * layer's consumers read output {@link #RESULT}. IdentityRemoval keeps marked nodes; legalize/RecurrentComposites is
 * the one place that reads them, either emitting the fused op or passing the lowered result through.
 */
public final class Composites {
  /** The composite's kind: {@link #KERAS_LSTM}, {@link #KERAS_SIMPLE_RNN}, or {@link #UNROLLED} for a layer that stays lowered (reason in {@link #REASON}). */
  public static final String KIND = "_tflite_composite";
  /** Why a recurrent layer stays unrolled, for the conversion result. */
  public static final String REASON = "_tflite_reason";
  /** The layer's Keras name and class, for the conversion result. */
  public static final String LAYER = "_tflite_layer";
  /** The cell activation of a fused LSTM or SimpleRNN (a Keras activation name). */
  public static final String ACTIVATION = "_tflite_activation";
  /** Whether the layer reads its input last step first (Keras go_backwards). */
  public static final String GO_BACKWARDS = "_tflite_go_backwards";

  /**
   * Which input of a fused LSTM's mark is its cell state at every step (absent: none): not the kernel's operand, the
   * tensor whose range in TensorFlow is the int8 kernel's cell-state range (the kernel keeps its steps' states inside).
   */
  public static final String CELL_STATES = "_tflite_cell_states";

  public static final String KERAS_LSTM = "keras_lstm";
  public static final String KERAS_SIMPLE_RNN = "keras_simple_rnn";
  public static final String UNROLLED = "unrolled";

  /** Inputs of a marker: the layer's input, its lowered result, then the weights. */
  public static final int INPUT = 0;
  public static final int RESULT = 1;
  public static final int WEIGHTS = 2;

  private Composites() {}

  public static boolean isMarker(NodeDef node) {
    return node.getOp().equals("IdentityN") && node.containsAttr(KIND);
  }
}
