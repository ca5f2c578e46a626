package dev.tflite.validation;

import dev.tflite.validation.compare.DriftAccumulator;
import dev.tflite.validation.compare.Metrics;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import dev.tflite.validation.run.InputGenerator;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorFlowRunner;
import dev.tflite.runtime.TfLiteRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.TensorFlow;
import org.tensorflow.lite.TensorFlowLite;

/**
 * Runs the original model in TensorFlow and the converted one in the TensorFlow Lite interpreter on the same seeded
 * inputs, matches outputs by signature name and measures drift against the tolerance.
 */
public final class ModelValidator {

  public ValidationReport validate(ValidationRequest request) {
    String prefix = "model '" + request.modelName() + "': ";
    if (!Files.isRegularFile(request.tflite())) {
      throw new ValidationException(prefix + "the converted model " + request.tflite() + " does not exist; run the convert goal first");
    }
    try (TfLiteRunner candidate = openTfLite(request, prefix);
        ModelRunner reference = openReference(request, candidate.signatureKey(), prefix)) {
      TfLiteRunner.Port[] inputs = candidate.inputs();
      TfLiteRunner.Port[] outputs = candidate.outputs();
      List<NamedTensors> samples = InputGenerator.uniform(inputs, request.samples(), request.seed(), request.inputMin(), request.inputMax());
      Map<String, DriftAccumulator> drift = new LinkedHashMap<>();
      Arrays.stream(outputs).forEach(o -> drift.put(o.name(), new DriftAccumulator()));
      for (NamedTensors sample : samples) {
        NamedTensors expected = reference.run(sample);
        NamedTensors actual = candidate.run(sample);
        requireSameNames(prefix, expected, actual);
        drift.forEach((name, acc) -> acc.add(expected.get(name).values(), actual.get(name).values()));
      }
      List<OutputDrift> results = new ArrayList<>();
      for (TfLiteRunner.Port out : outputs) {
        Metrics m = drift.get(out.name()).metrics();
        List<Tolerance.Violation> violations = request.tolerance().check(m);
        results.add(new OutputDrift(out.name(), Arrays.stream(out.shape()).asLongStream().toArray(), m.maxAbsError(), m.meanAbsError(),
            m.rmse(), m.cosineSimilarity(), request.tolerance(), violations.isEmpty(), violations));
      }
      List<ValidationReport.Port> ports = Arrays.stream(inputs)
          .map(p -> new ValidationReport.Port(p.name(), p.type().name().toLowerCase(), p.shape())).toList();
      return new ValidationReport(request.modelName(), request.sourceLabel(), request.quantization(),
          results.stream().allMatch(OutputDrift::passed), Files.size(request.tflite()), candidate.signatureKey(), request.samples(),
          request.seed(), new double[] {request.inputMin(), request.inputMax()}, ports, results,
          new ValidationReport.Runtimes(isTflite(request) ? "TensorFlow Lite " + TensorFlowLite.runtimeVersion() + " (source .tflite)"
              : "TensorFlow " + TensorFlow.version(), "TensorFlow Lite " + TensorFlowLite.runtimeVersion()));
    } catch (IOException e) {
      throw new ValidationException(prefix + "cannot read " + request.tflite() + ": " + e.getMessage(), e);
    }
  }

  private static TfLiteRunner openTfLite(ValidationRequest request, String prefix) {
    try {
      return new TfLiteRunner(request.tflite());
    } catch (RuntimeException e) {
      throw new ValidationException(prefix + "the TensorFlow Lite interpreter cannot load " + request.tflite() + ": " + e.getMessage(), e);
    }
  }

  private static boolean isTflite(ValidationRequest request) {
    return request.source().getFileName().toString().endsWith(".tflite");
  }

  /** The original: a SavedModel or GraphDef in TensorFlow, or a source .tflite in the interpreter. */
  private static ModelRunner openReference(ValidationRequest request, String signatureKey, String prefix) {
    try {
      return isTflite(request) ? new TfLiteRunner(request.source()) : TensorFlowRunner.open(request.source(), signatureKey, request.tags());
    } catch (RuntimeException e) {
      throw new ValidationException(prefix + "cannot load the original model " + request.source() + ": " + e.getMessage(), e);
    }
  }

  private static void requireSameNames(String prefix, NamedTensors expected, NamedTensors actual) {
    if (!expected.asMap().keySet().equals(actual.asMap().keySet())) {
      throw new ValidationException(prefix + "the original model's outputs " + new TreeSet<>(expected.asMap().keySet())
          + " do not match the converted model's " + new TreeSet<>(actual.asMap().keySet()));
    }
  }
}
