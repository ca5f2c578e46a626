package dev.tflite.testmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/** Builds a graph, initialises its variables and writes it as a SavedModel with one serving signature. */
public final class SavedModelExport {
  private SavedModelExport() {}

  /** What a model builder returns: its signature's named inputs and outputs, and values to feed into variables. */
  public record Endpoints(Map<String, Operand<?>> inputs, Map<String, Operand<?>> outputs, java.util.List<Initializer> initializers) {
    public Endpoints(Map<String, Operand<?>> inputs, Map<String, Operand<?>> outputs) {
      this(inputs, outputs, java.util.List.of());
    }
  }

  /** An assignment run once with {@code value} fed into {@code placeholder}. */
  public record Initializer(org.tensorflow.op.Op assign, Operand<?> placeholder, org.tensorflow.Tensor value) {}

  /**
   * Builds the model with {@code builder} in a fresh graph and exports it to {@code directory} under the
   * {@code serve} tag and the {@code serving_default} signature.
   */
  public static Path export(Path directory, long seed, BiFunction<Ops, SeededWeights, Endpoints> builder) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Endpoints endpoints = builder.apply(tf, new SeededWeights(seed));
      Signature.Builder signature = Signature.builder().key(Signature.DEFAULT_KEY);
      endpoints.inputs().forEach(signature::input);
      endpoints.outputs().forEach(signature::output);
      try (Session session = new Session(graph)) {
        session.initialize();
        for (Initializer init : endpoints.initializers()) {
          session.runner().feed(init.placeholder(), init.value()).addTarget(init.assign()).run();
          init.value().close();
        }
        deleteRecursively(directory);
        Files.createDirectories(directory.getParent());
        SavedModelBundle.exporter(directory.toString())
            .withFunction(SessionFunction.create(signature.build(), session))
            .export();
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export SavedModel to " + directory, e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
