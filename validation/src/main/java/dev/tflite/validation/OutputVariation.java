package dev.tflite.validation;

import dev.tflite.runtime.NamedTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spots converted outputs that do not depend on the input while the original's do (a broken quantization, a wrong
 * input scale or type): the commonest cause of a model that "runs but is useless", stated plainly in the report.
 */
final class OutputVariation {
  private final Map<String, float[]> firstCandidate = new LinkedHashMap<>();
  private final Map<String, float[]> firstReference = new LinkedHashMap<>();
  private final Map<String, Boolean> candidateVaries = new LinkedHashMap<>();
  private final Map<String, Boolean> referenceVaries = new LinkedHashMap<>();

  void add(NamedTensors reference, NamedTensors candidate) {
    for (String name : candidate.asMap().keySet()) {
      track(name, candidate.get(name).values(), firstCandidate, candidateVaries);
      track(name, reference.get(name).values(), firstReference, referenceVaries);
    }
  }

  private static void track(String name, float[] values, Map<String, float[]> first, Map<String, Boolean> varies) {
    float[] seen = first.putIfAbsent(name, values.clone());
    if (seen != null && !varies.getOrDefault(name, false) && !Arrays.equals(seen, values)) {
      varies.put(name, true);
    }
  }

  List<String> diagnostics() {
    List<String> notes = new ArrayList<>();
    for (String name : firstCandidate.keySet()) {
      if (referenceVaries.getOrDefault(name, false) && !candidateVaries.getOrDefault(name, false)) {
        float[] v = firstCandidate.get(name);
        float min = v[0];
        float max = v[0];
        for (float x : v) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
        String values = min == max ? String.format(Locale.ROOT, "every value %.4g", min) : String.format(Locale.ROOT, "values %.4g to %.4g", min, max);
        notes.add("output '" + name + "' of the converted model is the same for every input (" + values + ") while the original's varies:"
            + " the converted model ignores its input (broken quantization, or a wrong input type or scale)");
      }
    }
    return notes;
  }
}
