package dev.tflite.validation.match;

import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorSpec;
import java.util.List;

/** Every input and output of the validated .tflite paired with the original's ({@link PortMatcher}). */
public record PortMatching(List<PortMatch> inputs, List<PortMatch> outputs) {
  public PortMatching {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * Pairs {@code candidate}'s ports (named by its SignatureDef when {@code bySignature}) with {@code original}'s.
   * The original may have outputs the .tflite does not compute (they are not compared), never extra inputs.
   */
  public static PortMatching of(List<TensorSpec> candidateInputs, List<TensorSpec> candidateOutputs, boolean bySignature, ModelRunner original) {
    return new PortMatching(PortMatcher.match("input", candidateInputs, bySignature, original.inputSpecs(), false),
        PortMatcher.match("output", candidateOutputs, bySignature, original.outputSpecs(), true));
  }

  /** Whether every port was paired by the .tflite's SignatureDef names: the file speaks the original's names. */
  public boolean allBySignature() {
    return inputs.stream().allMatch(m -> m.by().equals(PortMatch.SIGNATURE)) && outputs.stream().allMatch(m -> m.by().equals(PortMatch.SIGNATURE));
  }

  public PortMatch input(String candidateName) {
    return find(inputs, candidateName);
  }

  public PortMatch output(String candidateName) {
    return find(outputs, candidateName);
  }

  private static PortMatch find(List<PortMatch> matches, String candidateName) {
    return matches.stream().filter(m -> m.candidate().name().equals(candidateName)).findFirst().orElse(null);
  }

  /**
   * The original, fed and read under the .tflite's names: inputs are renamed to the original's before it runs, its
   * outputs back to the .tflite's after, so every sample and result is keyed as the .tflite keys them.
   */
  public ModelRunner underCandidateNames(ModelRunner original) {
    return new ModelRunner() {
      @Override
      public NamedTensors run(NamedTensors in) {
        NamedTensors fed = new NamedTensors();
        in.asMap().forEach((name, tensor) -> {
          PortMatch m = input(name);
          fed.put(m == null ? name : m.original().name(), tensor);
        });
        NamedTensors raw = original.run(fed);
        NamedTensors out = new NamedTensors();
        for (PortMatch m : outputs) {
          NamedTensors.FloatTensor t = raw.get(m.original().name());
          if (t == null) {
            throw new IllegalStateException("the original model returned no output '" + m.original().name() + "' (it returned " + raw.asMap().keySet()
                + "); only float32 outputs are compared");
          }
          out.put(m.candidate().name(), t);
        }
        return out;
      }

      @Override
      public List<TensorSpec> inputSpecs() {
        return inputs.stream().map(PortMatch::candidate).toList();
      }

      @Override
      public List<TensorSpec> outputSpecs() {
        return outputs.stream().map(PortMatch::candidate).toList();
      }

      @Override
      public void close() {
        original.close();
      }
    };
  }
}
