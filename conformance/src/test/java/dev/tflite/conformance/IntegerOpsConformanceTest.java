package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.op.core.Squeeze;

/**
 * Every op row of {@link OpConformanceTest}, plus the ops only full-integer models stress (transpose, resize,
 * reductions, leaky ReLU, ELU, transposed convolution), converted to int8 and to int16x8 and run in TensorFlow Lite
 * 2.18 and 2.6.2 against TensorFlow's float graph. Each file must be fully integer: the census holds no float compute
 * op besides the ones without an integer kernel ({@link #NO_INTEGER_KERNEL}), and exactly those are listed in the
 * conversion result.
 */
class IntegerOpsConformanceTest {
  /** Ops whose contract states no 2.6 integer kernel for the scheme: these stay float and are reported. */
  static final Map<QuantizationMode, Set<String>> NO_INTEGER_KERNEL = Map.of(
      QuantizationMode.INT8, withoutKernel(dev.tflite.convert.ops.OpContract::int8),
      QuantizationMode.INT16X8, withoutKernel(dev.tflite.convert.ops.OpContract::int16));

  private static Set<String> withoutKernel(java.util.function.Predicate<dev.tflite.convert.ops.OpContract> kernel) {
    Set<String> ops = new TreeSet<>();
    dev.tflite.convert.ops.OpContracts.all().values().stream().filter(kernel.negate()).forEach(c -> ops.add(c.op().name()));
    ops.removeAll(Set.of("QUANTIZE", "DEQUANTIZE")); // the float boundaries themselves
    return ops;
  }

  static Stream<OpConformanceTest.Row> extraRows() {
    long[] nhwc = {1, 9, 9, 4};
    return Stream.of(
        new OpConformanceTest.Row("LeakyRelu", nhwc, (tf, x, w) -> tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(0.2f)), Map.of("LEAKY_RELU", 1)),
        new OpConformanceTest.Row("Elu", nhwc, (tf, x, w) -> tf.nn.elu(x), Map.of("ELU", 1)),
        new OpConformanceTest.Row("Transpose", nhwc, (tf, x, w) -> tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 1, 3})), Map.of("TRANSPOSE", 1)),
        new OpConformanceTest.Row("ResizeNearestNeighbor x2", nhwc, (tf, x, w) -> tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {18, 18})),
            Map.of("RESIZE_NEAREST_NEIGHBOR", 1)),
        new OpConformanceTest.Row("Max over height and width", nhwc, (tf, x, w) -> tf.max(x, tf.constant(new int[] {1, 2})), Map.of("REDUCE_MAX", 1)),
        new OpConformanceTest.Row("Mul by a constant (unfolded batch-norm scale)", nhwc, (tf, x, w) -> tf.math.mul(x, tf.constantOf(w.range(-1.5, 2, 4))),
            Map.of("MUL", 1)),
        new OpConformanceTest.Row("Conv2DBackpropInput stride 2", nhwc, (tf, x, w) -> tf.nn.conv2dBackpropInput(tf.constant(new int[] {1, 18, 18, 3}),
            tf.constantOf(w.uniform(0.5, 3, 3, 3, 4)), x, List.of(1L, 2L, 2L, 1L), "SAME"), Map.of("TRANSPOSE_CONV", 1)),
        new OpConformanceTest.Row("Squeeze then Softmax", new long[] {1, 1, 1, 7}, (tf, x, w) -> tf.nn.softmax(tf.squeeze(tf.math.mul(x, tf.constant(3f)),
            Squeeze.axis(List.of(1L, 2L)))), Map.of("SOFTMAX", 1)));
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    Stream.concat(OpConformanceTest.rows(), extraRows()).forEach(row -> {
      all.add(Arguments.of(row, QuantizationMode.INT8));
      all.add(Arguments.of(row, QuantizationMode.INT16X8));
    });
    return all.stream();
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void fullyIntegerAndCloseToFloat(OpConformanceTest.Row row, QuantizationMode mode, @TempDir Path dir) {
    Path savedModel = SingleOpModels.export(dir.resolve("model"), 11, row.inputShape(), row.body());
    Path tflite = dir.resolve("op.tflite");
    // calibrated on the very samples validation feeds (same generator, seed 7, 16 samples in [-2, 2]): no value leaves
    // its calibrated range, so the error measured is rounding alone, not saturation
    QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 16, 7, -2, 2));
    // the converter's work files hold the frozen graph validation runs as the original: a dilated convolution in it is in
    // the SpaceToBatchND form TensorFlow runs on every CPU, oneDNN or not
    Path work = dir.resolve("work");
    ConversionResult result = new dev.tflite.convert.TfliteConverter().convert(ConversionRequest.of("op", savedModel, mode, tflite)
        .withQuantization(mode, options), work);

    ModelT model = Tflite.read(tflite);
    SubGraphT graph = model.getSubgraphs()[0];
    Set<String> floatCompute = new TreeSet<>();
    // ops computing on shapes and indices alone (SHAPE's int32 output sliced, stacked, multiplied; RANGE): no value to quantize
    Set<String> indexArithmetic = new TreeSet<>();
    Set<String> touchesOtherTypes = new TreeSet<>();
    for (OperatorT op : graph.getOperators()) {
      String name = BuiltinOperator.name(model.getOperatorCodes()[(int) op.getOpcodeIndex()].getBuiltinCode());
      boolean indexOnly = java.util.stream.IntStream.concat(java.util.Arrays.stream(op.getInputs()), java.util.Arrays.stream(op.getOutputs()))
          .filter(i -> i >= 0).mapToObj(i -> graph.getTensors()[i]).filter(t -> !isConstant(model, t))
          .allMatch(t -> t.getType() == TensorType.INT32 || t.getType() == TensorType.INT64 || t.getType() == TensorType.BOOL);
      (indexOnly ? indexArithmetic : touchesOtherTypes).add(name);
      // float compute: writes a float result, or reads a float activation (comparisons and arg-max write bool and int)
      boolean readsFloat = java.util.Arrays.stream(op.getInputs()).anyMatch(i -> i >= 0 && graph.getTensors()[i].getType() == TensorType.FLOAT32
          && !isConstant(model, graph.getTensors()[i]));
      if (!name.equals("QUANTIZE") && !name.equals("DEQUANTIZE") && (graph.getTensors()[op.getOutputs()[0]].getType() == TensorType.FLOAT32 || readsFloat)) {
        floatCompute.add(name);
      }
    }
    Set<String> expectedFloat = new TreeSet<>(Tflite.opCounts(tflite).keySet());
    expectedFloat.retainAll(NO_INTEGER_KERNEL.get(mode));
    expectedFloat.removeAll(BOOLEAN_ONLY);
    indexArithmetic.removeAll(touchesOtherTypes);
    expectedFloat.removeAll(indexArithmetic);
    assertEquals(expectedFloat, floatCompute, "float compute ops in the " + mode + " census " + Tflite.opCounts(tflite));
    Set<String> reported = new TreeSet<>();
    result.floatOps().forEach(op -> reported.add(op.substring(0, op.indexOf(' '))));
    assertEquals(expectedFloat, reported, "ops the conversion result lists as float: " + result.floatOps());

    Double step = outputStep(graph);
    if (step == null) {
      // a model left wholly in float (its one op has no integer kernel) is held to the float conversion bound
      FloatBound.assertMatches(Tflite.validateAsCalibrated(savedModel, tflite, new Tolerance(null, null, null, null), -2, 2, work), tflite, row.name());
      return;
    }
    double tolerance = steps(Tflite.opCounts(tflite).keySet(), mode, floatCompute, endsInFloat(graph)) * step + weightRounding(model)
            // a CAST to int32 turns any rounding before it into a whole unit wherever a value sits next to an integer
            + (floatCompute.contains("CAST") ? 1.0 : 0);
    boolean jumps = Tflite.opCounts(tflite).keySet().stream().anyMatch(DISCONTINUOUS::contains);
    // a discontinuous op sends inputs within one quantization step of a jump to its other side, so max abs error is the
    // jump itself (measured: 1.0 for floor(3x)); the rest of the output must agree: cosine similarity with TensorFlow
    // at least 0.9 (a few percent of elements flipped gives about 0.95; a wrong kernel or scale gives far less)
    Tolerance limit = jumps ? new Tolerance(null, null, null, 0.9) : new Tolerance(tolerance, null, null, null);
    ValidationReport report = Tflite.validateAsCalibrated(savedModel, tflite, limit, -2, 2, work);
    double error = report.outputs().get(0).maxAbsError();
    double oldest = report.outputs().get(0).oldestRuntime().maxAbsError();
    double unit = step;
    System.out.printf(java.util.Locale.ROOT, "int-op %-9s %-55s max abs %.4g = %.2f output steps, in 2.6.2 %.2f (allowed %.1f)%n", mode.configName(),
        row.name(), error, error / unit, oldest / unit, tolerance / unit);
    assertTrue(report.passed(), row.name() + " in " + mode + (jumps ? " (cosine " + report.outputs().get(0).cosineSimilarity() + " < 0.9)" : "") + ": max abs " + error + " (2.6.2: " + oldest + ") = " + error / unit + " output steps > "
        + tolerance / unit);
  }

  static boolean isConstant(ModelT model, TensorT t) {
    return t.getBuffer() > 0 && model.getBuffers()[(int) t.getBuffer()].getData() != null && model.getBuffers()[(int) t.getBuffer()].getData().length > 0;
  }

  /** Ops that read and write only booleans: neither integer nor float compute, and not reported as kept in float. */
  static final Set<String> BOOLEAN_ONLY = Set.of("LOGICAL_AND", "LOGICAL_OR", "LOGICAL_NOT", "REDUCE_ANY", "REDUCE_ALL");

  /** Ops whose output jumps where the input crosses a threshold (rounding, comparisons, arg-max, top-k indices). */
  static final Set<String> DISCONTINUOUS = Set.of("FLOOR", "FLOOR_DIV", "CEIL", "ROUND", "EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER",
      "GREATER_EQUAL", "ARG_MAX", "ARG_MIN", "ONE_HOT", "TOPK_V2");

  /**
   * Allowed error in output quantization steps, besides weight rounding. Every integer op rounds its output (half a
   * step) and reads an input the QUANTIZE rounded (half an input step, carried by a unit-gain op): 2 steps. Ops that
   * compute through lookup tables or exp approximations (LOGISTIC, TANH, SOFTMAX, ELU) add their table's error: 8 steps
   * (int16 SOFTMAX measured 6.8). Two-op rows and rows with float islands add the rounding of the intermediate tensor
   * and of the island's QUANTIZE/DEQUANTIZE, and a MUL multiplies its input's rounding by its gain (x8 in the Relu6
   * row: 2.7 steps): 6 steps. The 2.6 int16 ADD, SUB and MUL kernels rescale their inputs
   * through 15-bit shifts, so they resolve about 2^-15 of the input range rather than the int16 output step
   * (measured up to 17.6 steps): 32 steps, an eighth of an int8 step. A model that ends in a float op (no integer
   * kernel) is measured in steps of the last integer rounding before it, which that op multiplies by its slope
   * (RSQRT near its smallest input: 8 steps measured): 16 steps; so does an integer RSQRT, which multiplies its
   * input's rounding by the same slope (the Rsqrt row's 1/sqrt(|x| + 0.1): 9.0 int8 steps measured): 16 steps.
   */
  static double steps(Set<String> census, QuantizationMode mode, Set<String> floatOps, boolean endsInFloat) {
    Set<String> ops = new TreeSet<>(census);
    ops.removeAll(Set.of("QUANTIZE", "DEQUANTIZE"));
    double steps = 2;
    if (ops.size() > 1 || !floatOps.isEmpty() || ops.contains("MUL")) {
      steps = 6;
    }
    if (ops.stream().anyMatch(op -> Set.of("LOGISTIC", "TANH", "SOFTMAX", "ELU").contains(op))) {
      steps = 8;
    }
    if (endsInFloat || ops.contains("RSQRT")) {
      steps = 16;
    }
    if (mode == QuantizationMode.INT16X8 && ops.stream().anyMatch(op -> Set.of("ADD", "SUB", "MUL").contains(op))) {
      steps = 32;
    }
    return steps;
  }

  /** Whether the output comes straight from a float compute op, not from a DEQUANTIZE. */
  static boolean endsInFloat(SubGraphT graph) {
    int output = graph.getOutputs()[0];
    for (OperatorT op : graph.getOperators()) {
      if (op.getOutputs()[0] == output) {
        return graph.getTensors()[op.getInputs()[0]].getType() == TensorType.FLOAT32 && op.getInputs().length > 0
            && graph.getTensors()[op.getOutputs()[0]].getType() == TensorType.FLOAT32;
      }
    }
    return false;
  }

  /**
   * The error int8 weights (and the rounded activations they multiply) can add to a weighted op's output, summed over
   * the model's weighted ops: each of the {@code taps} products per output carries half a weight step times the
   * largest input (2, validation's range) plus the largest weight (127 steps) times half an input step.
   */
  static double weightRounding(ModelT model) {
    SubGraphT graph = model.getSubgraphs()[0];
    double bound = 0;
    for (OperatorT op : graph.getOperators()) {
      String name = BuiltinOperator.name(model.getOperatorCodes()[(int) op.getOpcodeIndex()].getBuiltinCode());
      if (!Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV").contains(name)) {
        continue;
      }
      TensorT weights = graph.getTensors()[op.getInputs()[1]];
      if (weights.getType() != TensorType.INT8 || weights.getBuffer() <= 0 || weights.getQuantization() == null
          || weights.getQuantization().getScale().length == 0) {
        continue;
      }
      boolean transposeConv = graph.getTensors()[op.getInputs()[0]].getType() == TensorType.INT32;
      TensorT input = graph.getTensors()[op.getInputs()[transposeConv ? 2 : 0]];
      float[] scales = weights.getQuantization().getScale();
      double weightStep = 0;
      for (float sc : scales) {
        weightStep = Math.max(weightStep, sc);
      }
      long elements = 1;
      for (int d : weights.getShape()) {
        elements *= d;
      }
      int channels = scales.length > 1 ? weights.getShape()[(int) weights.getQuantization().getQuantizedDimension()] : weights.getShape()[0];
      long taps = elements / channels;
      double inputStep = input.getQuantization() == null || input.getQuantization().getScale().length == 0 ? 0 : input.getQuantization().getScale()[0];
      bound += taps * (2 * weightStep / 2 + 127 * weightStep * inputStep / 2);
    }
    return bound;
  }

  /**
   * The quantization step of the integer tensor the output DEQUANTIZE reads (int8 or int16); for a model that ends in
   * a float op, the step of the QUANTIZE at its input (the integer rounding before the float tail); null for a model
   * with no integer tensor at all.
   */
  static Double outputStep(SubGraphT graph) {
    if (java.util.Arrays.stream(graph.getTensors()).noneMatch(t -> t.getType() == TensorType.INT8 || t.getType() == TensorType.INT16)) {
      return null;
    }
    int output = graph.getOutputs()[0];
    int input = graph.getInputs()[0];
    Double inputStep = null;
    for (OperatorT op : graph.getOperators()) {
      TensorT in = graph.getTensors()[op.getInputs()[0]];
      TensorT out = graph.getTensors()[op.getOutputs()[0]];
      boolean integerIn = in.getType() == TensorType.INT8 || in.getType() == TensorType.INT16;
      boolean integerOut = out.getType() == TensorType.INT8 || out.getType() == TensorType.INT16;
      if (op.getOutputs()[0] == output && integerIn && out.getType() == TensorType.FLOAT32) {
        return (double) in.getQuantization().getScale()[0];
      }
      if (op.getInputs()[0] == input && integerOut && inputStep == null) {
        inputStep = (double) out.getQuantization().getScale()[0];
      }
    }
    if (inputStep == null) {
      // float at both ends (a data-movement op without a kernel for the scheme on each side): the integer tensor
      // the last DEQUANTIZE reads
      for (OperatorT op : graph.getOperators()) {
        TensorT in = graph.getTensors()[op.getInputs()[0]];
        if (graph.getTensors()[op.getOutputs()[0]].getType() == TensorType.FLOAT32 && (in.getType() == TensorType.INT8 || in.getType() == TensorType.INT16)) {
          inputStep = (double) in.getQuantization().getScale()[0];
        }
      }
    }
    if (inputStep == null) {
      throw new AssertionError("neither a DEQUANTIZE at the output nor a QUANTIZE at the input");
    }
    return inputStep;
  }
}
