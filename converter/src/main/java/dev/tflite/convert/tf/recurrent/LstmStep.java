package dev.tflite.convert.tf.recurrent;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeDef;

/**
 * One LSTM step written as plain TensorFlow ops, as Keras 3's LSTMCell, TF1's BasicLSTMCell, LSTMBlockCell (lowered)
 * and hand-written cells compute it: gate pre-activations {@code z = Σ operand · W + b}, split into four chunks, each
 * chunk (plus an optional constant such as BasicLSTMCell's forget bias) through its activation, then
 * {@code c = σ(f)·c_prev + σ(i)·g(candidate)} and {@code h = σ(o)·g(c)}. Which chunk is which gate is read from where
 * it flows (the chunk that multiplies {@code c_prev} is the forget gate, ...), so every gate order (Keras' i, f, c, o;
 * TF1's i, j, f, o) matches the same way. The operands are not told apart here: which one is the previous step's
 * {@code h} only the chain ({@link UnrolledRecurrentLayers}) knows.
 *
 * @param c the new cell state
 * @param cPrev the cell state it reads
 * @param h the step's output
 * @param activation the candidate's and the output's activation (one function: the fused kernel applies one), a Keras name
 * @param chunkOf the chunk of the split that is gate i, f, c (candidate) and o, in that order
 * @param products the matrix products summed into {@code z}
 * @param bias the constants summed into {@code z} and added to each chunk, [4 · units] in chunk order
 * @param units the state width
 * @param nodes the names of every node of the step (what the fused op replaces)
 * @param firstReader the name of the node splitting the gates
 * @param preActivations the gate pre-activations it splits
 */
record LstmStep(String c, String cPrev, String h, String activation, int[] chunkOf, List<PreActivations.Product> products, float[] bias,
    int units, Set<String> nodes, String firstReader, String preActivations) implements RecurrentStep {
  private static final Map<String, String> CELL_ACTIVATIONS = Map.of("Tanh", "tanh", "Relu", "relu", "Relu6", "relu6");
  private static final int GATES = 4;

  @Override
  public int gateCount() {
    return GATES;
  }

  /** The step whose gates {@code split} (a Split or SplitV into four) divides, or null when the ops around it are not one. */
  static LstmStep match(GraphIndex g, NodeDef split) {
    String z = gateInput(g, split);
    if (z == null) {
      return null;
    }
    Set<String> nodes = new HashSet<>();
    nodes.add(split.getName());
    String[] activated = new String[GATES];
    String[] function = new String[GATES];
    TensorData[] chunkAdds = new TensorData[GATES];
    for (int k = 0; k < GATES; k++) {
      NodeDef n = g.soleConsumer(split.getName() + ":" + k);
      if (n != null && isAdd(n)) { // a constant on the chunk: BasicLSTMCell's forget bias
        String other = otherInput(n, split.getName() + ":" + k);
        chunkAdds[k] = other == null ? null : g.constant(other);
        if (chunkAdds[k] == null || chunkAdds[k].type() != DType.FLOAT32) {
          return null;
        }
        nodes.add(n.getName());
        n = g.soleConsumer(n.getName() + ":0");
      }
      if (n == null || !(n.getOp().equals("Sigmoid") || CELL_ACTIVATIONS.containsKey(n.getOp()))) {
        return null;
      }
      nodes.add(n.getName());
      activated[k] = n.getName() + ":0";
      function[k] = n.getOp();
    }
    int candidate = -1;
    for (int k = 0; k < GATES; k++) {
      if (!function[k].equals("Sigmoid")) {
        if (candidate >= 0) {
          return null;
        }
        candidate = k;
      }
    }
    if (candidate < 0) {
      return null;
    }
    // σ(i) · g(candidate) -> + σ(f) · c_prev = c
    NodeDef inputProduct = g.soleConsumer(activated[candidate]);
    int input = inputProduct == null || !inputProduct.getOp().equals("Mul") ? -1 : chunkOf(activated, otherInput(inputProduct, activated[candidate]));
    NodeDef cell = input < 0 || input == candidate ? null : g.soleConsumer(inputProduct.getName() + ":0");
    if (cell == null || !isAdd(cell) || g.soleConsumer(activated[input]) != inputProduct) {
      return null;
    }
    NodeDef forgetProduct = g.producer(otherInput(cell, inputProduct.getName() + ":0"));
    if (forgetProduct == null || !forgetProduct.getOp().equals("Mul") || g.soleConsumer(forgetProduct.getName() + ":0") != cell) {
      return null;
    }
    int forget = -1;
    String cPrev = null;
    for (int side = 0; side < 2; side++) {
      int k = chunkOf(activated, GraphIndex.input(forgetProduct, side));
      if (k >= 0 && k != candidate && k != input && g.soleConsumer(activated[k]) == forgetProduct) {
        forget = k;
        cPrev = GraphIndex.input(forgetProduct, 1 - side);
      }
    }
    if (forget < 0) {
      return null;
    }
    int output = GATES * (GATES - 1) / 2 - candidate - input - forget; // the one left of 0..3
    // h = σ(o) · g(c)
    String c = cell.getName() + ":0";
    NodeDef outputProduct = g.soleConsumer(activated[output]);
    if (outputProduct == null || !outputProduct.getOp().equals("Mul")) {
      return null;
    }
    NodeDef cellActivation = g.producer(otherInput(outputProduct, activated[output]));
    if (cellActivation == null || !cellActivation.getOp().equals(function[candidate]) || !GraphIndex.input(cellActivation, 0).equals(c)
        || g.soleConsumer(cellActivation.getName() + ":0") != outputProduct) {
      return null;
    }
    nodes.add(inputProduct.getName());
    nodes.add(forgetProduct.getName());
    nodes.add(cell.getName());
    nodes.add(outputProduct.getName());
    nodes.add(cellActivation.getName());
    PreActivations sum = PreActivations.of(g, z, nodes);
    if (sum == null || sum.width() % GATES != 0) {
      return null;
    }
    int units = sum.width() / GATES;
    float[] bias = sum.bias().clone();
    for (int k = 0; k < GATES; k++) {
      if (chunkAdds[k] != null && !PreActivations.addBroadcast(bias, chunkAdds[k], k * units, units)) {
        return null;
      }
    }
    return new LstmStep(c, cPrev, outputProduct.getName() + ":0", CELL_ACTIVATIONS.get(function[candidate]),
        new int[] {input, forget, candidate, output}, sum.products(), bias, units, nodes, split.getName(), z);
  }

  /** The tensor a four-way split along the last axis (of a [batch, 4 · units] tensor) divides, or null. */
  private static String gateInput(GraphIndex g, NodeDef split) {
    if (split.getOp().equals("Split") && split.containsAttr("num_split") && split.getAttrOrThrow("num_split").getI() == GATES) {
      TensorData axis = g.constant(GraphIndex.input(split, 0));
      return axis != null && axis.elementCount() == 1 && (axis.longs()[0] == 1 || axis.longs()[0] == -1) ? GraphIndex.input(split, 1) : null;
    }
    if (split.getOp().equals("SplitV") && split.containsAttr("num_split") && split.getAttrOrThrow("num_split").getI() == GATES) {
      TensorData sizes = g.constant(GraphIndex.input(split, 1));
      TensorData axis = g.constant(GraphIndex.input(split, 2));
      boolean equal = sizes != null && sizes.elementCount() == GATES && java.util.Arrays.stream(sizes.longs()).distinct().count() == 1
          && sizes.longs()[0] > 0;
      return equal && axis != null && axis.elementCount() == 1 && (axis.longs()[0] == 1 || axis.longs()[0] == -1) ? GraphIndex.input(split, 0) : null;
    }
    return null;
  }

  private static boolean isAdd(NodeDef n) {
    return n.getOp().equals("AddV2") || n.getOp().equals("Add");
  }

  /** The input of a two-input node that is not {@code one}, or null when neither or both are. */
  private static String otherInput(NodeDef n, String one) {
    String a = GraphIndex.input(n, 0);
    String b = GraphIndex.input(n, 1);
    if (a.equals(one) == b.equals(one)) {
      return null;
    }
    return a.equals(one) ? b : a;
  }

  private static int chunkOf(String[] activated, String tensor) {
    for (int k = 0; k < activated.length; k++) {
      if (activated[k].equals(tensor)) {
        return k;
      }
    }
    return -1;
  }
}
