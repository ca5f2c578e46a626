package dev.tflite.convert.write;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.target.RuntimeVersions;
import dev.tflite.convert.target.TargetRuntime;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The oldest TensorFlow Lite runtime that can run a graph: the newest runtime any of its op versions needs (what the
 * official converter writes as the {@code min_runtime_version} metadata), raised further by schemes whose kernels came
 * without a new op version (per-channel FULLY_CONNECTED weights), which the official converter's figure misses.
 */
public final class MinimumRuntime {
  /** The official converter's metadata buffer: the version string, zero-padded to 16 bytes. */
  public static final String METADATA_NAME = "min_runtime_version";
  static final int METADATA_BYTES = 16;

  private MinimumRuntime() {}

  public static TargetRuntime of(Graph graph) {
    TargetRuntime newest = new TargetRuntime(1, 5, 0);
    for (Operator op : graph.operators()) {
      newest = max(newest, RuntimeVersions.since(op.type(), OpVersions.of(op)));
      if (isPerChannelIntegerFullyConnected(op)) {
        newest = max(newest, RuntimeVersions.Feature.PER_CHANNEL_FULLY_CONNECTED.since());
      }
    }
    return newest;
  }

  /** The ops (with their version, or the scheme) that need a runtime newer than {@code target}, one line each. */
  public static java.util.List<String> newerThan(Graph graph, TargetRuntime target) {
    java.util.Set<String> lines = new java.util.TreeSet<>();
    for (Operator op : graph.operators()) {
      int version = OpVersions.of(op);
      TargetRuntime since = RuntimeVersions.since(op.type(), version);
      if (!target.atLeast(since)) {
        lines.add(op.type() + " version " + version + " (TensorFlow Lite " + since + "): " + op.origin());
      }
      if (isPerChannelIntegerFullyConnected(op) && !RuntimeVersions.Feature.PER_CHANNEL_FULLY_CONNECTED.availableIn(target)) {
        lines.add("FULLY_CONNECTED with per-channel int8 weights (TensorFlow Lite " + RuntimeVersions.Feature.PER_CHANNEL_FULLY_CONNECTED.since() + "): "
            + op.origin());
      }
    }
    return java.util.List.copyOf(lines);
  }

  /** The metadata buffer's bytes for this version. */
  static byte[] metadataBytes(TargetRuntime version) {
    byte[] text = version.toString().getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(text, Math.max(METADATA_BYTES, text.length));
  }

  static boolean isPerChannelIntegerFullyConnected(Operator op) {
    if (op.type() != OpType.FULLY_CONNECTED || op.input(0) == null || op.input(0).type() == DType.FLOAT32 || op.inputs().size() < 2) {
      return false;
    }
    Quantization q = op.input(1).quantization();
    return q != null && q.scales().length > 1;
  }

  private static TargetRuntime max(TargetRuntime a, TargetRuntime b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
