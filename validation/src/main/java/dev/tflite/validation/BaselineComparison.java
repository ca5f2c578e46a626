package dev.tflite.validation;

import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorType;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.compare.DriftAccumulator;
import dev.tflite.validation.compare.Metrics;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.BaselineReport;
import dev.tflite.validation.report.ModelFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs the previous release's file on the inputs the new model just ran on and measures how far the new outputs
 * moved from it, per output, with the size, op census and latency ratios a release gate looks at. The baseline is the
 * reference here: a release is judged against what users already have, not only against the original model.
 */
final class BaselineComparison {
  /** Latency is the median of this many runs of the first sample in each file (after a warm-up run). */
  static final int LATENCY_RUNS = 10;

  private BaselineComparison() {}

  /**
   * {@code candidateOutputs} are the new model's outputs for {@code samples}, in order; {@code candidate} is open on the
   * new file (for its latency).
   */
  static BaselineReport compare(ValidationOptions.Baseline baseline, Path candidateFile, TfLiteRunner candidate, List<NamedTensors> samples,
      List<NamedTensors> candidateOutputs, ModelFacts candidateFacts) throws IOException {
    if (!Files.isRegularFile(baseline.file())) {
      return BaselineReport.missing(baseline.label(), "no baseline at " + baseline.label() + ": a first release, nothing to compare with yet");
    }
    try (TfLiteRunner previous = new TfLiteRunner(baseline.file())) {
      String mismatch = portMismatch(candidate.inputs(), previous.inputs(), "inputs");
      if (mismatch != null) {
        return judgedMissing(baseline, mismatch);
      }
      Map<String, TfLiteRunner.Port> previousOutputs = new TreeMap<>();
      Arrays.stream(previous.outputs()).forEach(p -> previousOutputs.put(p.name(), p));
      Map<String, DriftAccumulator> drift = new TreeMap<>();
      for (TfLiteRunner.Port out : candidate.outputs()) {
        TfLiteRunner.Port old = previousOutputs.get(out.name());
        if (old != null && Arrays.equals(old.shape(), out.shape())) {
          drift.put(out.name(), new DriftAccumulator(out.shape().length == 0 ? 1 : out.shape()[out.shape().length - 1]));
        }
      }
      if (drift.isEmpty()) {
        return judgedMissing(baseline, "the baseline's outputs " + previousOutputs.keySet() + " share no name and shape with the new model's");
      }
      for (int i = 0; i < samples.size(); i++) {
        NamedTensors expected = previous.run(samples.get(i));
        NamedTensors actual = candidateOutputs.get(i);
        drift.forEach((name, acc) -> acc.add(expected.get(name).values(), actual.get(name).values()));
      }
      List<BaselineReport.Output> outputs = new ArrayList<>();
      boolean passed = true;
      for (TfLiteRunner.Port out : candidate.outputs()) {
        if (!drift.containsKey(out.name())) {
          continue;
        }
        Metrics m = drift.get(out.name()).metrics();
        Double step = out.type() == TensorType.FLOAT32 ? null : (double) out.scale();
        List<Tolerance.Violation> violations = baseline.tolerance() == null ? List.of() : baseline.tolerance().check(m, step);
        passed &= violations.isEmpty();
        outputs.add(new BaselineReport.Output(out.name(), m.maxAbsError(), m.meanAbsError(), m.rmse(), m.cosineSimilarity(), m.top1Agreement(),
            baseline.tolerance(), violations.isEmpty(), violations));
      }
      double latencyRatio = (double) candidate.medianInferenceNanos(samples.get(0), LATENCY_RUNS)
          / Math.max(1, previous.medianInferenceNanos(samples.get(0), LATENCY_RUNS));
      long size = Files.size(baseline.file());
      return new BaselineReport(baseline.label(), null, passed, size, (double) Files.size(candidateFile) / size, latencyRatio,
          opChanges(ModelFacts.read(baseline.file()).ops(), candidateFacts.ops()), outputs);
    }
  }

  /** No comparison possible: a gate that was asked for fails, a report-only baseline just says why. */
  private static BaselineReport judgedMissing(ValidationOptions.Baseline baseline, String why) {
    String note = "the baseline " + baseline.label() + " cannot be compared: " + why;
    return new BaselineReport(baseline.label(), note, baseline.tolerance() == null, null, null, null, Map.of(), List.of());
  }

  private static String portMismatch(TfLiteRunner.Port[] current, TfLiteRunner.Port[] previous, String kind) {
    Map<String, String> a = new TreeMap<>();
    Map<String, String> b = new TreeMap<>();
    Arrays.stream(current).forEach(p -> a.put(p.name(), Arrays.toString(p.shape())));
    Arrays.stream(previous).forEach(p -> b.put(p.name(), Arrays.toString(p.shape())));
    return a.equals(b) ? null : "its " + kind + " " + b + " differ from the new model's " + a;
  }

  /** Op type → {count in the baseline, count in the new model}, for the op types whose count changed. */
  static Map<String, int[]> opChanges(Map<String, Integer> before, Map<String, Integer> after) {
    Map<String, int[]> changes = new TreeMap<>();
    TreeSet<String> ops = new TreeSet<>(before.keySet());
    ops.addAll(after.keySet());
    for (String op : ops) {
      int b = before.getOrDefault(op, 0);
      int a = after.getOrDefault(op, 0);
      if (a != b) {
        changes.put(op, new int[] {b, a});
      }
    }
    return changes;
  }
}
