package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * How far a float TensorFlow Lite output may be from TensorFlow's, for a float conversion (the same arithmetic in
 * float32, only in another order): {@code max(1, max|reference|) * max(1e-5, 16 * u * sqrt(K))}, u = 2^-24 the float32
 * unit roundoff and K the longest single accumulation in the model (a dense layer's inputs, a convolution's kernel
 * height * width * input channels, a mean's reduced elements).
 *
 * <p>Why it scales: the kernels on each side (TensorFlow with oneDNN, TensorFlow's Eigen kernels without it, XNNPACK
 * and the reference kernels in TensorFlow Lite) sum the same products in different orders and block sizes, with or
 * without fused multiply-add. Each partial sum rounds with a relative error up to u, so the difference grows with the
 * magnitude of the values (hence relative to max|reference|, and absolute below 1) and with the number of terms,
 * typically as sqrt(K) (round-off behaves like a random walk); 16 leaves room for several layers in series and for
 * an activation such as a sigmoid passing a larger pre-activation error on. The 1e-5 floor is the bound these tests
 * always had for short accumulations and element-wise ops (few-ulp differences between transcendental kernels); it
 * takes over up to K of about 110. A 784-input dense layer gets 2.7e-5 for outputs up to 1 (measured: 1.03e-5 with
 * oneDNN off, 3e-7 with it on).
 */
final class FloatBound {
  static final double FLOOR = 1e-5;
  static final double UNIT_ROUNDOFF = Math.ulp(1f) / 2;
  static final double MARGIN = 16;

  private FloatBound() {}

  /** The bound for an output whose reference values reach {@code maxAbsReference}, after accumulations of up to {@code k} terms. */
  static double of(double maxAbsReference, long k) {
    return Math.max(1, maxAbsReference) * Math.max(FLOOR, MARGIN * UNIT_ROUNDOFF * Math.sqrt(Math.max(1, k)));
  }

  /** The largest reference magnitude of an output, recovered from its max abs and relative error. */
  static double maxAbsReference(OutputDrift out) {
    return out.relativeError() == 0 || Double.isInfinite(out.relativeError()) ? 0 : out.maxAbsError() / out.relativeError();
  }

  /** Every output of a float conversion, in TensorFlow Lite 2.18 and in 2.6 (first samples), within the bound. */
  static void assertMatches(ValidationReport report, Path tflite, String what) {
    long k = longestAccumulation(tflite);
    for (OutputDrift out : report.outputs()) {
      double bound = of(maxAbsReference(out), k);
      assertTrue(out.maxAbsError() <= bound, what + ", output " + out.name() + ": max abs error " + out.maxAbsError() + " > " + bound
          + " (max |reference| " + maxAbsReference(out) + ", longest accumulation " + k + ")");
      if (out.oldestRuntime() != null) {
        assertTrue(out.oldestRuntime().maxAbsError() <= bound, what + ", output " + out.name() + " in TensorFlow Lite 2.6: max abs error "
            + out.oldestRuntime().maxAbsError() + " > " + bound);
      }
    }
  }

  /** The most terms any single op of the file sums: FULLY_CONNECTED inputs, CONV_2D and CONV_3D kernel volume, DEPTHWISE_CONV_2D and pooling windows, MEAN. */
  static long longestAccumulation(Path tflite) {
    return accumulations(tflite).stream().mapToLong(Long::longValue).max().orElse(1);
  }

  /**
   * Every op's accumulation length summed: for a deep network (a keras.applications backbone has 50 to 120
   * accumulating layers in series), each layer's rounding reaches the output through the layers after it, so the
   * differences add up as a random walk over all of them, sqrt of the sum rather than of the longest. An upper bound
   * of the longest path's sum.
   */
  static long totalAccumulation(Path tflite) {
    return Math.max(1, accumulations(tflite).stream().mapToLong(Long::longValue).sum());
  }

  private static java.util.List<Long> accumulations(Path tflite) {
    ModelT model = Tflite.read(tflite);
    java.util.List<Long> all = new java.util.ArrayList<>();
    for (SubGraphT graph : model.getSubgraphs()) {
      for (OperatorT op : graph.getOperators()) {
        int code = model.getOperatorCodes()[(int) op.getOpcodeIndex()].getBuiltinCode();
        int[] in = shape(graph, op.getInputs()[0]);
        int[] w = op.getInputs().length > 1 ? shape(graph, op.getInputs()[1]) : null;
        int[] out = shape(graph, op.getOutputs()[0]);
        long k = switch (code) {
          case BuiltinOperator.FULLY_CONNECTED -> w == null ? 1 : w[w.length - 1];
          case BuiltinOperator.CONV_2D -> w == null || w.length != 4 ? 1 : (long) w[1] * w[2] * w[3];
          case BuiltinOperator.CONV_3D -> w == null || w.length != 5 ? 1 : (long) w[0] * w[1] * w[2] * w[3];
          case BuiltinOperator.CONV_3D_TRANSPOSE -> w == null || w.length != 5 ? 1 : (long) w[0] * w[1] * w[2] * w[4];
          case BuiltinOperator.DEPTHWISE_CONV_2D -> w == null || w.length != 4 ? 1 : (long) w[1] * w[2];
          case BuiltinOperator.TRANSPOSE_CONV -> op.getInputs().length > 1 ? volume(shape(graph, op.getInputs()[1])) / Math.max(1, shape(graph, op.getInputs()[1])[0]) : 1;
          case BuiltinOperator.MEAN, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.SUM -> in == null || out == null ? 1 : Math.max(1, volume(in) / Math.max(1, volume(out)));
          default -> 1;
        };
        all.add(k);
      }
    }
    return all;
  }

  private static int[] shape(SubGraphT graph, int tensor) {
    if (tensor < 0) {
      return null;
    }
    TensorT t = graph.getTensors()[tensor];
    return t.getShape();
  }

  private static long volume(int[] shape) {
    long v = 1;
    for (int d : shape == null ? new int[0] : shape) {
      v *= Math.max(1, d);
    }
    return v;
  }
}
