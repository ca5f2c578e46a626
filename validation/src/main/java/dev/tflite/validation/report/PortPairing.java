package dev.tflite.validation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the validated file's inputs and outputs were paired with the original's, in words, for the console and the
 * HTML page: one line per side and kind of pairing that did not come from a SignatureDef, e.g.
 * {@code inputs matched by name: 'input_1_int8' → 'input_1'}. Nothing when the SignatureDef paired everything.
 */
public final class PortPairing {
  private PortPairing() {}

  public static List<String> lines(ValidationReport r) {
    return lines(r.inputs(), r.outputs());
  }

  public static List<String> lines(List<ValidationReport.Port> inputs, List<OutputDrift> outputs) {
    List<String> lines = new ArrayList<>();
    for (String by : List.of("name", "position")) {
      add(lines, "inputs", by, inputs, ValidationReport.Port::name, ValidationReport.Port::matchedBy, ValidationReport.Port::original);
      add(lines, "outputs", by, outputs, OutputDrift::name, OutputDrift::matchedBy, OutputDrift::original);
    }
    return lines;
  }

  private static <T> void add(List<String> lines, String side, String by, List<T> ports, Function<T, String> name, Function<T, String> matchedBy,
      Function<T, String> original) {
    String pairs = ports.stream().filter(p -> by.equals(matchedBy.apply(p)))
        .map(p -> "'" + name.apply(p) + "' → '" + original.apply(p) + "'").collect(Collectors.joining(", "));
    if (!pairs.isEmpty()) {
      lines.add(side + " matched by " + by + (by.equals("position") ? " (the names do not say which is which)" : "")
          + ": " + pairs);
    }
  }
}
