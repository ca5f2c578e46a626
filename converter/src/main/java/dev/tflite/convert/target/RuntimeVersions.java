package dev.tflite.convert.target;

import dev.tflite.convert.ir.OpType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one table of runtime facts: for each op the converter writes, the TensorFlow Lite runtime that first registers
 * each of its op versions (the official converter's runtime-version table, tensorflow/lite/tools/versioning/
 * runtime_version.cc, for the versions this converter can write), and the schemes whose kernels arrived without a new op
 * version, which the version table cannot show. The {@code min_runtime_version} metadata and the target-runtime checks
 * both read this table.
 */
public final class RuntimeVersions {
  private RuntimeVersions() {}

  /** A quantization scheme some kernels implement only from a runtime on, with the same op version as before. */
  public enum Feature {
    /**
     * int8 FULLY_CONNECTED weights with a scale per output channel. The op version stays 4 (op_version.cc versions
     * per-channel weights only for the hybrid kernel, v12), and the 2.6 kernel reads the first scale alone, so such a
     * file loads in 2.6 and computes wrong outputs there (measured, see IntegerOpsConformanceTest). The official
     * converter writes it by default since about its 2.17 release; it is enabled from 2.18, the newest runtime that
     * validation runs and the first where it is checked here.
     */
    PER_CHANNEL_FULLY_CONNECTED(new TargetRuntime(2, 18, 0));

    private final TargetRuntime since;

    Feature(TargetRuntime since) {
      this.since = since;
    }

    public TargetRuntime since() {
      return since;
    }

    public boolean availableIn(TargetRuntime target) {
      return target.atLeast(since);
    }
  }

  private static final Map<OpType, List<String>> SINCE = new EnumMap<>(OpType.class);

  static {
    // index i holds op version i + 1
    SINCE.put(OpType.ABS, List.of("1.13.0", "2.4.0", "2.5.0", "2.6.0"));
    SINCE.put(OpType.ADD, List.of("1.5.0", "1.14.0", "2.4.0", "2.6.0"));
    SINCE.put(OpType.AVERAGE_POOL_2D, List.of("1.5.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.CONCATENATION, List.of("1.5.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.CONV_2D, List.of("1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.4.0"));
    SINCE.put(OpType.DEPTHWISE_CONV_2D, List.of("1.5.0", "1.12.0", "1.14.0", "2.2.0", "2.3.0", "2.3.0"));
    SINCE.put(OpType.DEQUANTIZE, List.of("1.13.1", "1.14.0", "1.15.0", "2.2.0"));
    SINCE.put(OpType.DIV, List.of("1.6.0", "2.3.0"));
    SINCE.put(OpType.ELU, List.of("1.14.0"));
    SINCE.put(OpType.EXP, List.of("1.7.0"));
    SINCE.put(OpType.FAKE_QUANT, List.of("1.5.0", "1.10.0"));
    SINCE.put(OpType.FULLY_CONNECTED, List.of("1.5.0", "1.10.0", "1.14.0", "1.14.0", "2.0.0", "2.1.0", "2.3.0", "2.3.0", "2.3.0"));
    SINCE.put(OpType.GATHER, List.of("1.6.0", "1.14.0", "1.15.0", "2.4.0", "2.5.0"));
    SINCE.put(OpType.LEAKY_RELU, List.of("1.13.1", "2.3.0"));
    SINCE.put(OpType.LOGISTIC, List.of("1.14.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.MAX_POOL_2D, List.of("1.5.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.MAXIMUM, List.of("1.14.0", "1.14.0", "2.3.0", "2.3.0"));
    SINCE.put(OpType.MEAN, List.of("1.6.0", "1.14.0", "2.4.0"));
    SINCE.put(OpType.MUL, List.of("1.5.0", "1.14.0", "1.15.0", "2.3.0", "2.6.0"));
    SINCE.put(OpType.NEG, List.of("1.9.0"));
    SINCE.put(OpType.PAD, List.of("1.5.0", "1.14.0", "2.4.0", "2.6.0"));
    SINCE.put(OpType.PADV2, List.of("1.9.0", "1.14.0", "2.4.0", "2.6.0"));
    SINCE.put(OpType.PRELU, List.of("1.8.0"));
    SINCE.put(OpType.QUANTIZE, List.of("1.14.0", "1.15.0"));
    SINCE.put(OpType.REDUCE_MAX, List.of("1.11.0", "1.14.0", "2.5.0"));
    SINCE.put(OpType.RELU, List.of("1.5.0", "2.1.0", "2.5.0"));
    SINCE.put(OpType.RELU6, List.of("1.5.0", "1.14.0", "2.5.0"));
    SINCE.put(OpType.RELU_N1_TO_1, List.of("1.5.0"));
    SINCE.put(OpType.RESHAPE, List.of("1.5.0"));
    SINCE.put(OpType.RESIZE_NEAREST_NEIGHBOR, List.of("1.13.1", "1.14.0", "2.3.0", "2.4.0"));
    SINCE.put(OpType.SOFTMAX, List.of("1.5.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.SQUEEZE, List.of("1.6.0"));
    SINCE.put(OpType.SUB, List.of("1.6.0", "1.14.0", "2.3.0", "2.4.0", "2.4.0"));
    SINCE.put(OpType.TANH, List.of("1.14.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.TRANSPOSE, List.of("1.6.0", "1.14.0", "1.15.0", "2.3.0", "2.4.0"));
    SINCE.put(OpType.TRANSPOSE_CONV, List.of("1.9.0", "2.2.0", "2.3.0"));
    SINCE.put(OpType.SUM, List.of("1.10.0", "1.15.0"));
    SINCE.put(OpType.SQRT, List.of("1.10.0"));
    SINCE.put(OpType.SLICE, List.of("1.14.0", "1.14.0", "1.14.0", "2.4.0", "2.5.0"));
    SINCE.put(OpType.RSQRT, List.of("1.10.0", "2.5.0"));
    SINCE.put(OpType.RESIZE_BILINEAR, List.of("1.7.0", "1.14.0", "2.2.0", "2.5.0"));
    SINCE.put(OpType.SPACE_TO_BATCH_ND, List.of("1.6.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.BATCH_TO_SPACE_ND, List.of("1.6.0", "1.14.0", "2.3.0"));
    SINCE.put(OpType.MINIMUM, List.of("1.14.0", "1.14.0", "2.3.0", "2.3.0"));
    SINCE.put(OpType.LOG, List.of("1.14.0"));
    SINCE.put(OpType.CAST, List.of("1.5.0"));
  }

  /** The first runtime that registers this op version; fails for a version the table lacks (a converter bug). */
  public static TargetRuntime since(OpType op, int version) {
    List<String> versions = SINCE.get(op);
    if (versions == null || version < 1 || version > versions.size()) {
      throw new IllegalStateException(op + " version " + version + " is missing from the runtime-version table");
    }
    return parseFull(versions.get(version - 1));
  }

  /** Whether a kernel for this op version is in the target runtime. */
  public static boolean registered(OpType op, int version, TargetRuntime target) {
    return target.atLeast(since(op, version));
  }

  /** The ops the table covers and how many versions of each it knows. */
  public static Map<OpType, Integer> versionCounts() {
    Map<OpType, Integer> counts = new EnumMap<>(OpType.class);
    SINCE.forEach((op, v) -> counts.put(op, v.size()));
    return counts;
  }

  public static List<Feature> features() {
    return List.of(Feature.values());
  }

  static TargetRuntime parseFull(String version) {
    String[] parts = version.split("\\.");
    return new TargetRuntime(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }
}
