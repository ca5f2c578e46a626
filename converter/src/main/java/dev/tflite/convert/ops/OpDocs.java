package dev.tflite.convert.ops;

import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.legalize.LegalizationRegistry;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The op lists of the documentation, generated from the legalization registry and the op contracts so they cannot
 * drift from the code: the README's supported TensorFlow ops and the table of TensorFlow Lite ops with their
 * quantization and runtime facts (src-site/markdown/ops.md). A test compares the files with this output.
 */
public final class OpDocs {
  private OpDocs() {}

  /** The README section body: every TensorFlow op with a legalization, alphabetically. */
  public static String supportedTensorFlowOps(LegalizationRegistry registry) {
    List<String> ops = List.copyOf(registry.all().keySet());
    return ops.size() + " TensorFlow ops: " + String.join(", ", ops) + ".\n";
  }

  /** One row per TensorFlow Lite op the converter writes. */
  public static String contractTable() {
    StringBuilder out = new StringBuilder();
    out.append("| TensorFlow Lite op | int8 | int16x8 | dynamic-range | integer output scale | weights (channel axis) | runtime of op versions 1, 2, ... | notes |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    OpContracts.all().values().stream().sorted((a, b) -> a.op().name().compareTo(b.op().name())).forEach(c -> out.append("| ")
        .append(c.op().name()).append(" | ")
        .append(c.int8() ? "yes" : "float").append(" | ")
        .append(c.int16() ? "yes" : "float").append(" | ")
        .append(c.hybrid() ? "hybrid kernel" : "-").append(" | ")
        .append(c.int8() || c.int16() ? scale(c) : "-").append(" | ")
        .append(!c.weightGroup().isEmpty() ? "inputs " + c.weightGroup().get(0) + "-" + c.weightGroup().get(c.weightGroup().size() - 1) + " (per tensor, together)"
            : c.hasWeights() ? "input " + c.weightIndex() + (c.weightAxis() >= 0 ? " (axis " + c.weightAxis() + ")" : " (per tensor)") : "-").append(" | ")
        .append(String.join(", ", c.versionsSince())).append(" | ")
        .append(c.summary()).append(" |\n"));
    return out.toString();
  }

  private static String scale(OpContract c) {
    return switch (c.outputScale()) {
      case FREE -> "own range";
      case SAME_AS_INPUT -> "input's";
      case SAME_AS_INPUTS -> "shared by all operands";
      case FIXED -> fixed("int8", c.int8Fixed()) + (c.int16() && c.int16Fixed() != null ? ", " + fixed("int16", c.int16Fixed()) : "");
    };
  }

  private static String fixed(String type, OpContract.FixedScale f) {
    return f == null ? "" : String.format(Locale.ROOT, "%s 1/%d zp %d", type, Math.round(1 / f.scale()), f.zeroPoint());
  }

  /** The TensorFlow Lite ops the converter can write, for messages. */
  public static String tfliteOps() {
    return OpContracts.all().keySet().stream().map(OpType::name).sorted().collect(Collectors.joining(", "));
  }
}
