package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tflite.validation.compare.Tolerance;
import java.util.List;

/** One output's drift, the tolerance it was held to and the limits it broke. */
@JsonPropertyOrder({"name", "shape", "maxAbsError", "meanAbsError", "rmse", "cosineSimilarity", "tolerance", "passed", "violations"})
public record OutputDrift(
    String name,
    long[] shape,
    double maxAbsError,
    double meanAbsError,
    double rmse,
    double cosineSimilarity,
    Tolerance tolerance,
    boolean passed,
    List<Tolerance.Violation> violations) {}
