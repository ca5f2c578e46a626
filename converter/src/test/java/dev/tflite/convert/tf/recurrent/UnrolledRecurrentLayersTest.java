package dev.tflite.convert.tf.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.tf.Composites;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * Which unrolled LSTMs and simple RNNs are marked as the fused composites, and with which weights: cells built step by step with
 * TensorFlow's own ops the two ways real graphs write them (Keras' two products and i, f, c, o; BasicLSTMCell's one
 * product over [x, h], i, j, f, o and its forget bias), and the chains that must stay unrolled because the fused
 * kernel cannot compute them. That the marked files compute what TensorFlow does is checked on the real fixtures
 * (conformance RecurrentSourcesTest); here, the layout the mark hands legalization.
 */
class UnrolledRecurrentLayersTest {
  private static final int STEPS = 4;
  private static final int FEATURES = 3;
  private static final int UNITS = 2;

  /** How the steps are written. */
  private record Cell(boolean basicLstm, boolean perStepWeights, boolean initialState, boolean cellOutput, boolean reversed, boolean feedback) {
    static Cell keras() {
      return new Cell(false, false, false, false, false, false);
    }
  }

  private final SplittableRandom random = new SplittableRandom(7);
  private final float[][] kernel = matrix(FEATURES, 4 * UNITS);
  private final float[][] recurrent = matrix(UNITS, 4 * UNITS);
  private final float[][] stacked = matrix(FEATURES + UNITS, 4 * UNITS);
  private final float[] bias = matrix(1, 4 * UNITS)[0];

  @Test
  void kerasStepsAreOneMarkWithTheirOwnWeights() {
    TfGraph marked = marked(Cell.keras());
    List<NodeDef> marks = marks(marked);
    assertEquals(1, marks.size());
    NodeDef mark = marks.get(0);
    assertEquals(Composites.KERAS_LSTM, mark.getAttrOrThrow(Composites.KIND).getS().toStringUtf8());
    assertEquals("tanh", mark.getAttrOrThrow(Composites.ACTIVATION).getS().toStringUtf8());
    assertTrue(!mark.getAttrOrThrow(Composites.GO_BACKWARDS).getB());
    assertEquals("x:0", TensorName.parse(mark.getInput(Composites.INPUT)).toString(), "the tensor the steps were unstacked from");
    assertArrayEquals(flat(kernel), weights(marked, mark, 0), "kernel: Keras' layout already");
    assertArrayEquals(flat(recurrent), weights(marked, mark, 1));
    assertArrayEquals(bias, weights(marked, mark, 2));
  }

  @Test
  void basicLstmCellsGateOrderAndForgetBiasBecomeKerasLayout() {
    Cell cell = new Cell(true, false, false, false, false, false);
    TfGraph marked = marked(cell);
    NodeDef mark = marks(marked).get(0);
    float[] k = weights(marked, mark, 0);
    float[] r = weights(marked, mark, 1);
    float[] b = weights(marked, mark, 2);
    int[] chunkOfKerasGate = {0, 2, 1, 3}; // Keras i, f, c, o are BasicLSTMCell's chunks i, f, j, o
    for (int gate = 0; gate < 4; gate++) {
      for (int u = 0; u < UNITS; u++) {
        int from = chunkOfKerasGate[gate] * UNITS + u;
        int to = gate * UNITS + u;
        for (int row = 0; row < FEATURES; row++) {
          assertEquals(stacked[row][from], k[row * 4 * UNITS + to], "kernel row " + row);
        }
        for (int row = 0; row < UNITS; row++) {
          assertEquals(stacked[FEATURES + row][from], r[row * 4 * UNITS + to], "recurrent row " + row);
        }
        assertEquals(bias[from] + (gate == 1 ? 1f : 0f), b[to], 0f, "the forget bias joins the forget gate's bias");
      }
    }
  }

  @Test
  void stepsReadInReverseAreGoBackwards() {
    NodeDef mark = marks(marked(new Cell(false, false, false, false, true, false))).get(0);
    assertTrue(mark.getAttrOrThrow(Composites.GO_BACKWARDS).getB());
    assertEquals("x:0", TensorName.parse(mark.getInput(Composites.INPUT)).toString());
  }

  @Test
  void chainsTheFusedKernelCannotComputeStayUnrolled() {
    assertUnfused(new Cell(false, true, false, false, false, false), "its steps are not one cell with shared weights");
    assertUnfused(new Cell(false, false, true, false, false, false), "it starts from an initial state");
    assertUnfused(new Cell(false, false, false, true, false, false), "its cell state is read outside the layer");
    assertUnfused(new Cell(false, false, false, false, false, true), "its inputs are computed from its outputs");
  }

  /** No fused mark, and one unrolled mark whose reason (what the conversion result says) starts with {@code reason}. */
  private void assertUnfused(Cell cell, String reason) {
    List<NodeDef> marks = marks(marked(cell));
    assertEquals(1, marks.size(), cell.toString());
    NodeDef mark = marks.get(0);
    assertEquals(Composites.UNROLLED, mark.getAttrOrThrow(Composites.KIND).getS().toStringUtf8(), cell.toString());
    String said = mark.getAttrOrThrow(Composites.REASON).getS().toStringUtf8();
    assertTrue(said.startsWith(reason), said);
  }

  /**
   * Two stacked simple RNNs, h = tanh(x·W + h·U + b), the second reading the first's steps: two marks, each with its
   * own weights (the first layer's next step is told from the second layer's first by its weights).
   */
  @Test
  void stackedSimpleRnnsAreTwoMarks() {
    float[][] w2 = matrix(UNITS, UNITS);
    float[][] u2 = matrix(UNITS, UNITS);
    float[][] w1 = matrix(FEATURES, UNITS);
    float[][] u1 = matrix(UNITS, UNITS);
    TfGraph marked;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, STEPS, FEATURES)));
      List<Operand<TFloat32>> inputs = new ArrayList<>(tf.unstack(x, (long) STEPS, Unstack.axis(1L)).output());
      for (float[][][] layer : new float[][][][] {{w1, u1}, {w2, u2}}) {
        Operand<TFloat32> h = tf.fill(tf.constant(new int[] {1, UNITS}), tf.constant(0f));
        List<Operand<TFloat32>> outputs = new ArrayList<>();
        for (Operand<TFloat32> step : inputs) {
          h = tf.math.tanh(tf.nn.biasAdd(tf.math.add(tf.linalg.matMul(step, tf.constant(layer[0])), tf.linalg.matMul(h, tf.constant(layer[1]))),
              tf.constant(new float[] {0.1f, -0.2f})));
          outputs.add(h);
        }
        inputs = outputs;
      }
      Operand<TFloat32> last = inputs.get(STEPS - 1);
      marked = UnrolledRecurrentLayers.mark(new TfGraph("serving_default", graph.toGraphDef().getVersions(), graph.toGraphDef().getNodeList(),
          List.of(new SignatureTensor("x", TensorName.parse("x:0"), DataType.DT_FLOAT, new long[] {1, STEPS, FEATURES})),
          List.of(new SignatureTensor("y", TensorName.parse(last.op().name() + ":0"), DataType.DT_FLOAT, new long[] {1, UNITS}))));
    }
    List<NodeDef> marks = marks(marked);
    assertEquals(2, marks.size());
    for (NodeDef mark : marks) {
      assertEquals(Composites.KERAS_SIMPLE_RNN, mark.getAttrOrThrow(Composites.KIND).getS().toStringUtf8());
    }
    assertArrayEquals(flat(w1), weights(marked, marks.get(0), 0));
    assertArrayEquals(flat(u1), weights(marked, marks.get(0), 1));
    assertArrayEquals(flat(w2), weights(marked, marks.get(1), 0));
    assertArrayEquals(flat(u2), weights(marked, marks.get(1), 1));
  }

  /** The marked graph still imports into TensorFlow (what validation and calibration run). */
  @Test
  void theMarkedGraphIsAValidTensorFlowGraph() {
    TfGraph marked = marked(Cell.keras());
    try (Graph g = new Graph()) {
      g.importGraphDef(marked.toGraphDef());
      assertTrue(g.operation(marks(marked).get(0).getName()) != null);
    }
  }

  private static List<NodeDef> marks(TfGraph marked) {
    return marked.nodes().stream().filter(Composites::isMarker).toList();
  }

  /** The mark's weight {@code which} (kernel, recurrent kernel, bias), from the graph that holds it. */
  private static float[] weights(TfGraph marked, NodeDef mark, int which) {
    return TfTensors.constValue(marked.node(TensorName.parse(mark.getInput(Composites.WEIGHTS + which)).node())).floats();
  }

  /** The steps written as {@code cell} says, then marked. */
  private TfGraph marked(Cell cell) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, STEPS, FEATURES)));
      List<Operand<TFloat32>> xs = new ArrayList<>(tf.unstack(x, (long) STEPS, Unstack.axis(1L)).output());
      Operand<TFloat32> c = cell.initialState ? tf.withName("c0").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, UNITS)))
          : tf.fill(tf.constant(new int[] {1, UNITS}), tf.constant(0f));
      Operand<TFloat32> h = tf.fill(tf.constant(new int[] {1, UNITS}), tf.constant(0f));
      for (int t = 0; t < STEPS; t++) {
        Operand<TFloat32> input = xs.get(cell.reversed ? STEPS - 1 - t : t);
        if (cell.feedback && t > 0) {
          input = tf.math.mul(input, tf.sum(h, tf.constant(new int[] {0, 1}))); // each step's input scaled by the last output
        }
        float scale = cell.perStepWeights ? 1 + t : 1;
        Operand<TFloat32> z;
        if (cell.basicLstm) {
          z = tf.nn.biasAdd(tf.linalg.matMul(tf.concat(List.of(input, h), tf.constant(1)), tf.constant(scaled(stacked, scale))), tf.constant(bias));
        } else {
          z = tf.nn.biasAdd(tf.math.add(tf.linalg.matMul(input, tf.constant(scaled(kernel, scale))), tf.linalg.matMul(h, tf.constant(recurrent))),
              tf.constant(bias));
        }
        List<org.tensorflow.Output<TFloat32>> gates = tf.split(tf.constant(1), z, 4L).output();
        if (cell.basicLstm) { // i, j, f, o; c * σ(f + 1) + σ(i) * tanh(j); tanh(c) * σ(o)
          c = tf.math.add(tf.math.mul(c, tf.math.sigmoid(tf.math.add(gates.get(2), tf.constant(1f)))),
              tf.math.mul(tf.math.sigmoid(gates.get(0)), tf.math.tanh(gates.get(1))));
          h = tf.math.mul(tf.math.tanh(c), tf.math.sigmoid(gates.get(3)));
        } else { // i, f, c, o; σ(f) * c + σ(i) * tanh(c~); σ(o) * tanh(c)
          c = tf.math.add(tf.math.mul(tf.math.sigmoid(gates.get(1)), c), tf.math.mul(tf.math.sigmoid(gates.get(0)), tf.math.tanh(gates.get(2))));
          h = tf.math.mul(tf.math.sigmoid(gates.get(3)), tf.math.tanh(c));
        }
      }
      List<SignatureTensor> outputs = new ArrayList<>();
      outputs.add(new SignatureTensor("y", TensorName.parse(h.op().name() + ":0"), DataType.DT_FLOAT, new long[] {1, UNITS}));
      if (cell.cellOutput) {
        outputs.add(new SignatureTensor("state", TensorName.parse(c.op().name() + ":0"), DataType.DT_FLOAT, new long[] {1, UNITS}));
      }
      List<SignatureTensor> inputs = List.of(new SignatureTensor("x", TensorName.parse("x:0"), DataType.DT_FLOAT, new long[] {1, STEPS, FEATURES}));
      return UnrolledRecurrentLayers.mark(new TfGraph("serving_default", graph.toGraphDef().getVersions(), graph.toGraphDef().getNodeList(), inputs, outputs));
    }
  }

  private float[][] matrix(int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int i = 0; i < cols; i++) {
        row[i] = (float) (random.nextDouble() - 0.5);
      }
    }
    return m;
  }

  private static float[][] scaled(float[][] m, float s) {
    float[][] out = new float[m.length][];
    for (int r = 0; r < m.length; r++) {
      out[r] = m[r].clone();
      for (int i = 0; i < out[r].length; i++) {
        out[r][i] *= s;
      }
    }
    return out;
  }

  private static float[] flat(float[][] m) {
    float[] out = new float[m.length * m[0].length];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], 0, out, r * m[0].length, m[0].length);
    }
    return out;
  }
}
