package dev.tflite.convert.target;

import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ops.OpContracts;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime facts: for each op the converter writes, the TensorFlow Lite runtime that first registers each of its op
 * versions (kept in the op's {@link dev.tflite.convert.ops.OpContract}, from the official converter's runtime-version
 * table, tensorflow/lite/tools/versioning/runtime_version.cc), and the schemes whose kernels arrived without a new op
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

  /** The first runtime that registers this op version; fails for a version the table lacks (a converter bug). */
  public static TargetRuntime since(OpType op, int version) {
    List<String> versions = OpContracts.of(op).versionsSince();
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
    OpContracts.all().forEach((op, c) -> counts.put(op, c.versionsSince().size()));
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
