package dev.tflite.convert.tf.recurrent;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.TfGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.NodeDef;

/**
 * A recurrent step's pre-activations written as a sum of matrix products with constant weights and constants (Add,
 * AddV2 and BiasAdd nodes between them): {@code Σ operand · W + b}, what both an LSTM's gates ({@link LstmStep}) and a
 * simple RNN's state ({@link RnnStep}) are computed from.
 *
 * @param products the matrix products, all of one width
 * @param bias the constants summed, [width]
 */
record PreActivations(List<PreActivations.Product> products, float[] bias) {
  /**
   * A product {@code concat(operands) · weights}: one operand, or the two a ConcatV2 joins on the feature axis.
   *
   * @param weights [rows, width], rows the operands' widths added up
   */
  record Product(List<String> operands, TensorData weights) {}

  /** The products' width: gates × units. */
  int width() {
    return (int) products.get(0).weights().shape()[1];
  }

  /**
   * {@code tensor} as a sum of products and constants, or null when it is anything else, has no product or products of
   * different widths; {@code nodes} collects the sum's nodes.
   */
  static PreActivations of(GraphIndex g, String tensor, Set<String> nodes) {
    List<Product> products = new ArrayList<>();
    List<TensorData> constants = new ArrayList<>();
    if (!collect(g, tensor, products, constants, nodes) || products.isEmpty()) {
      return null;
    }
    long width = products.get(0).weights().shape()[1];
    if (products.stream().anyMatch(p -> p.weights().shape()[1] != width)) {
      return null;
    }
    float[] bias = new float[(int) width];
    for (TensorData constant : constants) {
      if (!addBroadcast(bias, constant, 0, bias.length)) {
        return null;
      }
    }
    return new PreActivations(products, bias);
  }

  /**
   * Collects {@code tensor} as a sum of matrix products with constant weights and constants (Add, AddV2 and BiasAdd
   * nodes between them, each read only by the sum); false for anything else.
   */
  private static boolean collect(GraphIndex g, String tensor, List<Product> products, List<TensorData> constants, Set<String> nodes) {
    NodeDef p = g.producer(tensor);
    if (p == null) {
      return false;
    }
    TensorData value = g.constant(tensor);
    if (value != null) {
      constants.add(value);
      return value.type() == DType.FLOAT32;
    }
    if (p.getOp().equals("AddV2") || p.getOp().equals("Add") || p.getOp().equals("BiasAdd")) {
      nodes.add(p.getName());
      for (int side = 0; side < 2; side++) {
        String in = GraphIndex.input(p, side);
        if (g.constant(in) == null && g.soleConsumer(in) != p) {
          return false;
        }
        if (!collect(g, in, products, constants, nodes)) {
          return false;
        }
      }
      return true;
    }
    if (!p.getOp().equals("MatMul") || (p.containsAttr("transpose_a") && p.getAttrOrThrow("transpose_a").getB())) {
      return false;
    }
    TensorData weights = g.constant(GraphIndex.input(p, 1));
    if (weights == null || weights.type() != DType.FLOAT32 || weights.rank() != 2) {
      return false;
    }
    if (p.containsAttr("transpose_b") && p.getAttrOrThrow("transpose_b").getB()) {
      weights = transposed(weights);
    }
    nodes.add(p.getName());
    String operand = GraphIndex.input(p, 0);
    NodeDef concat = g.producer(operand);
    boolean twoParts = concat != null && concat.getOp().equals("ConcatV2") && TfGraph.dataInputs(concat).size() == 3;
    if (twoParts && g.soleConsumer(operand) == p) {
      TensorData axis = g.constant(GraphIndex.input(concat, 2));
      if (axis != null && axis.elementCount() == 1 && (axis.longs()[0] == 1 || axis.longs()[0] == -1)) {
        nodes.add(concat.getName());
        products.add(new Product(List.of(GraphIndex.input(concat, 0), GraphIndex.input(concat, 1)), weights));
        return true;
      }
    }
    products.add(new Product(List.of(operand), weights));
    return true;
  }

  private static TensorData transposed(TensorData m) {
    int rows = (int) m.shape()[0];
    int cols = (int) m.shape()[1];
    float[] in = m.floats();
    float[] out = new float[in.length];
    for (int r = 0; r < rows; r++) {
      for (int col = 0; col < cols; col++) {
        out[col * rows + r] = in[r * cols + col];
      }
    }
    return TensorData.ofFloats(new long[] {cols, rows}, out);
  }

  /** Adds {@code value} (a scalar, or {@code length} values with any leading unit dimensions) to {@code target[from, from + length)}. */
  static boolean addBroadcast(float[] target, TensorData value, int from, int length) {
    float[] v = value.floats();
    if (v.length != 1 && v.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      target[from + i] += v.length == 1 ? v[0] : v[i];
    }
    return true;
  }

}
