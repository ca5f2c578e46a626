package dev.tflite.convert.tf.recurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recurrent layer found unrolled: its steps in order, each reading the previous step's state (an LSTM's c and h, a
 * simple RNN's h; the first reads zeros), with one set of weights. Built from the steps by {@link #resolve}, which
 * tells each product's operands apart (the previous h is the recurrent one, the other the step's input) and checks
 * that every step computes the same cell.
 *
 * @param steps the steps in processing order
 * @param inputs each step's input x_t [batch, features]
 * @param kernel [features, gates · units], the gates in the composite's order (Keras' i, f, c, o for an LSTM)
 * @param recurrent [units, gates · units], same order
 * @param bias [gates · units], same order
 */
record StepChain(List<? extends RecurrentStep> steps, List<String> inputs, float[] kernel, float[] recurrent, float[] bias, int features) {

  int units() {
    return steps.get(0).units();
  }

  int gates() {
    return steps.get(0).gateCount();
  }

  boolean isLstm() {
    return steps.get(0) instanceof LstmStep;
  }

  /** Every node of every step. */
  Set<String> nodes() {
    Set<String> all = new HashSet<>();
    steps.forEach(s -> all.addAll(s.nodes()));
    return all;
  }

  /** The chain as one layer, or null with the steps left as they are when they are not one layer. */
  static StepChain resolve(GraphIndex g, List<? extends RecurrentStep> steps) {
    RecurrentStep first = steps.get(0);
    int units = first.units();
    int gates = first.gateCount();
    List<String> inputs = new ArrayList<>();
    float[] kernel = null;
    float[] recurrent = null;
    float[] bias = null;
    int features = -1;
    for (int t = 0; t < steps.size(); t++) {
      RecurrentStep step = steps.get(t);
      boolean sameKind = step.gateCount() == gates && step.units() == units && step.activation().equals(first.activation())
          && Arrays.equals(step.chunkOf(), first.chunkOf());
      if (!sameKind) {
        return null;
      }
      String hPrev = t == 0 ? null : steps.get(t - 1).h();
      Weights w = Weights.of(g, step, hPrev, units, gates);
      if (w == null || (features >= 0 && w.features != features)) {
        return null;
      }
      features = w.features;
      float[] stepBias = ordered(step.bias(), 1, step.chunkOf(), units);
      float[] stepKernel = ordered(w.kernel, features, step.chunkOf(), units);
      if (kernel != null && (!Arrays.equals(kernel, stepKernel) || !Arrays.equals(bias, stepBias))) {
        return null;
      }
      kernel = stepKernel;
      bias = stepBias;
      if (w.recurrent != null) {
        float[] stepRecurrent = ordered(w.recurrent, units, step.chunkOf(), units);
        if (recurrent != null && !Arrays.equals(recurrent, stepRecurrent)) {
          return null;
        }
        recurrent = stepRecurrent;
      } else if (t > 0) {
        return null; // a later step that does not read the previous h is not this layer's
      }
      inputs.add(w.input);
    }
    // a single step from zeros never reads its recurrent weights: zeros compute the same
    return new StepChain(List.copyOf(steps), inputs, kernel, recurrent != null ? recurrent : new float[units * gates * units], bias, features);
  }

  /** The columns of a [rows, gates · units] matrix in chunk order, rearranged into the composite's gate order. */
  private static float[] ordered(float[] m, int rows, int[] chunkOf, int units) {
    float[] out = new float[m.length];
    int width = chunkOf.length * units;
    for (int r = 0; r < rows; r++) {
      for (int gate = 0; gate < chunkOf.length; gate++) {
        System.arraycopy(m, r * width + chunkOf[gate] * units, out, r * width + gate * units, units);
      }
    }
    return out;
  }

  /** One step's input and recurrent weights, its products' rows told apart by which operand is the previous h. */
  private record Weights(String input, int features, float[] kernel, float[] recurrent) {
    static Weights of(GraphIndex g, RecurrentStep step, String hPrev, int units, int gates) {
      int width = gates * units;
      String input = null;
      int features = -1;
      float[] kernel = null;
      float[] recurrent = null;
      for (PreActivations.Product p : step.products()) {
        float[] w = p.weights().floats();
        long rows = p.weights().shape()[0];
        List<String> operands = p.operands();
        int recurrentAt = -1;
        for (int k = 0; k < operands.size(); k++) {
          if (hPrev == null ? g.isZeros(operands.get(k)) : operands.get(k).equals(hPrev)) {
            recurrentAt = k;
          }
        }
        int offset = 0;
        for (int k = 0; k < operands.size(); k++) {
          boolean isRecurrent = k == recurrentAt;
          int partRows = (int) (operands.size() == 1 ? rows : isRecurrent ? units : rows - units);
          if (partRows <= 0) {
            return null;
          }
          float[] part = Arrays.copyOfRange(w, offset * width, (offset + partRows) * width);
          offset += partRows;
          if (isRecurrent) {
            if (partRows != units) {
              return null;
            }
            recurrent = add(recurrent, part);
          } else {
            if (input != null && (!input.equals(operands.get(k)) || features != partRows)) {
              return null; // two inputs: not one LSTM's x
            }
            input = operands.get(k);
            features = partRows;
            kernel = add(kernel, part);
          }
        }
        if (operands.size() == 2 && recurrentAt < 0) {
          return null;
        }
      }
      return input == null ? null : new Weights(input, features, kernel, recurrent);
    }

    private static float[] add(float[] sum, float[] part) {
      if (sum == null) {
        return part;
      }
      for (int i = 0; i < sum.length; i++) {
        sum[i] += part[i];
      }
      return sum;
    }
  }
}
