package dev.tflite.convert.tf.recurrent;

import java.util.List;
import java.util.Set;

/**
 * One step of a recurrent layer found written as plain ops: gate pre-activations {@code Σ operand · W + b} over the
 * step's input and the previous step's output, a fixed function after them, and the step's output {@link #h}. Which
 * operand is the previous h only the chain knows ({@link StepChain}).
 */
sealed interface RecurrentStep permits LstmStep, RnnStep {
  /** The step's output. */
  String h();

  /** The cell activation, a Keras name. */
  String activation();

  /** How many gates the pre-activations hold: 4 for an LSTM, 1 for a simple RNN. */
  int gateCount();

  /** The chunk of the pre-activations that is each gate, in the composite's order (Keras' i, f, c, o for an LSTM). */
  int[] chunkOf();

  /** The matrix products summed into the pre-activations. */
  List<PreActivations.Product> products();

  /** The constants summed into the pre-activations, [gates · units] in chunk order. */
  float[] bias();

  int units();

  /** Every node of the step (what the fused op replaces). */
  Set<String> nodes();

  /** The name of the node the step's first op reads its pre-activations in, and that tensor: where a note's mark goes. */
  String firstReader();

  String preActivations();
}
