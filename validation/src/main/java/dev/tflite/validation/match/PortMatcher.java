package dev.tflite.validation.match;

import dev.tflite.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Pairs the inputs (or outputs) of the validated .tflite with the original model's. A .tflite with a SignatureDef
 * carries the original's names; one without (older converters, many files users have) carries tensor names, which
 * often agree once the converter's decorations are removed ({@link PortNames}); what is left is paired by position,
 * and only when as many are left on each side. Paired ports must have compatible shapes and element types, so a
 * wrong pairing fails with a message instead of producing drift figures for the wrong tensors.
 */
public final class PortMatcher {
  /** Real-valued element types: a quantized integer port stands for a float one (it is quantized and dequantized). */
  private static final Set<String> REAL = Set.of("float32", "float16", "float64", "int8", "uint8", "int16");

  private PortMatcher() {}

  /**
   * @param side {@code input} or {@code output}, for messages
   * @param bySignature whether the candidate's names come from its SignatureDef
   * @param extraOriginalsAllowed whether originals may be left unpaired (outputs the .tflite does not compute; never
   *     inputs, which the original needs fed)
   * @throws PortMismatchException naming both sides' ports and what to do
   */
  public static List<PortMatch> match(String side, List<TensorSpec> candidate, boolean bySignature, List<TensorSpec> original,
      boolean extraOriginalsAllowed) {
    PortMatch[] pairs = new PortMatch[candidate.size()];
    List<TensorSpec> free = new ArrayList<>(original);
    for (int i = 0; i < candidate.size(); i++) {
      String name = candidate.get(i).name();
      TensorSpec same = free.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
      if (same != null) {
        pairs[i] = new PortMatch(candidate.get(i), same, bySignature ? PortMatch.SIGNATURE : PortMatch.NAME);
        free.remove(same);
      }
    }
    for (int i = 0; i < candidate.size(); i++) {
      String name = PortNames.normalize(candidate.get(i).name());
      List<TensorSpec> alike = free.stream().filter(o -> PortNames.normalize(o.name()).equals(name)).toList();
      if (pairs[i] == null && alike.size() == 1) {
        pairs[i] = new PortMatch(candidate.get(i), alike.get(0), PortMatch.NAME);
        free.remove(alike.get(0));
      }
    }
    List<Integer> unpaired = new ArrayList<>();
    for (int i = 0; i < pairs.length; i++) {
      if (pairs[i] == null) {
        unpaired.add(i);
      }
    }
    if (unpaired.size() == free.size() || (unpaired.isEmpty() && extraOriginalsAllowed)) {
      for (int k = 0; k < unpaired.size(); k++) {
        pairs[unpaired.get(k)] = new PortMatch(candidate.get(unpaired.get(k)), free.get(k), PortMatch.POSITION);
      }
    } else {
      throw new PortMismatchException("the .tflite has " + count(candidate.size(), side) + " " + candidate + " and the original "
          + count(original.size(), side) + " " + original + "; " + (candidate.size() - unpaired.size()) + " agree by name, and the rest cannot be"
          + " paired by position (" + unpaired.size() + " against " + free.size() + "). Validate the .tflite against the model (and signature)"
          + " it was converted from, or give it a SignatureDef with the original's " + side + " names (the official converter writes one when"
          + " converting a SavedModel; this plugin always does)");
    }
    List<PortMatch> matches = Arrays.asList(pairs);
    matches.forEach(m -> requireCompatible(side, m));
    return List.copyOf(matches);
  }

  private static String count(int n, String side) {
    return n + " " + side + (n == 1 ? "" : "s");
  }

  private static void requireCompatible(String side, PortMatch m) {
    String problem = null;
    long[] c = m.candidate().shape();
    long[] o = m.original().shape();
    if (c != null && o != null) {
      if (c.length != o.length) {
        problem = "rank " + c.length + " against " + o.length;
      } else {
        for (int d = 0; d < c.length && problem == null; d++) {
          if (c[d] >= 0 && o[d] >= 0 && c[d] != o[d]) {
            problem = "dimension " + d + " is " + c[d] + " against " + o[d];
          }
        }
      }
    }
    if (problem == null && REAL.contains(m.candidate().type()) != REAL.contains(m.original().type())) {
      problem = "element type " + m.candidate().type() + " against " + m.original().type();
    }
    if (problem != null) {
      throw new PortMismatchException(side + " " + m.candidate() + " of the .tflite, paired by " + m.by() + " with the original's " + m.original()
          + ", does not fit it: " + problem + ". " + (m.by().equals(PortMatch.POSITION)
              ? "Without a SignatureDef the .tflite does not say which of the original's " + side + "s it is; give it one with the original's names,"
                  + " or validate it against the model it was converted from"
              : "The .tflite was converted from a different model or with other input shapes; validate it against its own source"));
    }
  }
}
