package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tflite.validation.compare.Tolerance;
import java.util.List;
import java.util.Map;

/**
 * The new model against the previous release's file on the same inputs: drift per output (the baseline as the
 * reference), and the ratios that tell a release reviewer what changed: size, op census, latency. {@code note} says why
 * there is no comparison (no baseline yet: a first release), else null. {@code passed} is false only when a baseline
 * tolerance is set and broken.
 */
@JsonPropertyOrder({"file", "note", "passed", "sizeBytes", "sizeRatio", "latencyRatio", "opChanges", "outputs"})
public record BaselineReport(String file, String note, boolean passed, Long sizeBytes, Double sizeRatio, Double latencyRatio,
    Map<String, int[]> opChanges, List<Output> outputs) {

  /** No baseline to compare with. */
  public static BaselineReport missing(String file, String note) {
    return new BaselineReport(file, note, true, null, null, null, Map.of(), List.of());
  }

  /** One output's drift against the baseline, held to the baseline tolerance (null: not judged). */
  @JsonPropertyOrder({"name", "maxAbsError", "meanAbsError", "rmse", "cosineSimilarity", "top1Agreement", "tolerance", "passed", "violations"})
  public record Output(String name, double maxAbsError, double meanAbsError, double rmse, double cosineSimilarity, Double top1Agreement,
      Tolerance tolerance, boolean passed, List<Tolerance.Violation> violations) {}
}
