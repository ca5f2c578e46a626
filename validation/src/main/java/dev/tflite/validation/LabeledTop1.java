package dev.tflite.validation;

import dev.tflite.runtime.NamedTensors;
import dev.tflite.validation.report.EmbeddedMetadata;
import dev.tflite.validation.report.LabeledOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads classifier outputs through the labels packed in the file: the top-1 class name of the first samples in the
 * original and in the converted model, so a reviewer sees "daisy vs daisy" rather than indices.
 */
final class LabeledTop1 {
  /** How many samples the report names classes for. */
  static final int SHOWN = 5;

  private final Map<String, List<String>> labels;
  private final Map<String, List<LabeledOutput.Top1>> shown = new LinkedHashMap<>();
  private int sample;

  LabeledTop1(EmbeddedMetadata metadata) {
    this.labels = metadata == null ? Map.of() : metadata.labelsByOutput();
    labels.keySet().forEach(name -> shown.put(name, new ArrayList<>()));
  }

  /** One batch-1 sample's outputs in the reference and the candidate. */
  void add(NamedTensors expected, NamedTensors actual) {
    if (sample++ >= SHOWN) {
      return;
    }
    labels.forEach((name, classNames) -> {
      if (expected.asMap().containsKey(name) && expected.get(name).values().length == classNames.size()) {
        float[] e = expected.get(name).values();
        float[] a = actual.get(name).values();
        int ei = argmax(e);
        int ai = argmax(a);
        shown.get(name).add(new LabeledOutput.Top1(sample - 1, classNames.get(ei), e[ei], classNames.get(ai), a[ai]));
      }
    });
  }

  /** {@code top1Agreement}: the agreement over all samples, by output (from the drift metrics). */
  List<LabeledOutput> outputs(EmbeddedMetadata metadata, Map<String, Double> top1Agreement) {
    List<LabeledOutput> out = new ArrayList<>();
    if (metadata == null) {
      return out;
    }
    for (EmbeddedMetadata.TensorInfo t : metadata.outputs()) {
      if (t != null && t.labels() != null) {
        out.add(new LabeledOutput(t.name(), t.labelsFile(), top1Agreement.get(t.name()), List.copyOf(shown.getOrDefault(t.name(), List.of()))));
      }
    }
    return out;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
