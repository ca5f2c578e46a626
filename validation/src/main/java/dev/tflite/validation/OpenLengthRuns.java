package dev.tflite.validation;

import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.TensorSpec;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.match.PortMatch;
import dev.tflite.validation.match.PortMatching;
import java.nio.file.Path;

/**
 * A converted Keras model whose sequence length stays open in the file was also built at a second length; validation
 * runs the file resized to that length against the reference built at it, so a file that only works at its default
 * length (a constant sized by it) fails the build like a drifting one.
 */
final class OpenLengthRuns implements AutoCloseable {
  private final ModelRunner original;
  private final ModelRunner reference;
  private final TfLiteRunner.Port[] ports;

  private OpenLengthRuns(ModelRunner original, ModelRunner reference, TfLiteRunner.Port[] ports) {
    this.original = original;
    this.reference = reference;
    this.ports = ports;
  }

  /** Null when the converter wrote no reference at a second length (the model has no open length the file keeps). */
  static OpenLengthRuns open(Path debugDirectory, String model, String prefix, PortMatching matching, TfLiteRunner.Port[] inputs) {
    ModelRunner original = FrozenGraphReference.atOpenLength(debugDirectory, model, prefix);
    if (original == null) {
      return null;
    }
    TfLiteRunner.Port[] ports = new TfLiteRunner.Port[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      TfLiteRunner.Port p = inputs[i];
      PortMatch m = matching.input(p.name());
      String name = m == null ? p.name() : m.original().name();
      TensorSpec spec = original.inputSpecs().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
      int[] shape = p.shape().clone();
      for (int d = 1; spec != null && d < shape.length && d < spec.shape().length; d++) { // the batch stays the sample's
        shape[d] = spec.shape()[d] > 0 ? (int) spec.shape()[d] : shape[d];
      }
      ports[i] = new TfLiteRunner.Port(p.name(), p.type(), shape, p.scale(), p.dynamicBatch());
    }
    return new OpenLengthRuns(original, matching.underCandidateNames(original), ports);
  }

  /** The reference at the second length, under the candidate's names. */
  ModelRunner reference() {
    return reference;
  }

  /** The candidate's inputs at the second length. */
  TfLiteRunner.Port[] ports() {
    return ports;
  }

  @Override
  public void close() {
    original.close();
  }
}
