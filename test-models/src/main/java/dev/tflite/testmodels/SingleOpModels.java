package dev.tflite.testmodels;

import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Small models around one op (or one short pattern), for per-op numeric tests: input {@code x}, output {@code y}. */
public final class SingleOpModels {
  private SingleOpModels() {}

  /** What the op under test computes from the graph input. */
  @FunctionalInterface
  public interface Body {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, SeededWeights weights);
  }

  public static Path export(Path directory, long seed, long[] inputShape, Body body) {
    return SavedModelExport.export(directory, seed, (tf, weights) -> {
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputShape)));
      Operand<TFloat32> y = tf.withName("y").identity(body.apply(tf, x, weights));
      return new SavedModelExport.Endpoints(Map.of("x", x), Map.of("y", y));
    });
  }

  /**
   * The same graph as {@link #export} writes, frozen: a GraphDef {@code .pb} (input {@code x}, output {@code y}) holding
   * only the nodes {@code y} needs, its weights as constants, as TF1's {@code freeze_graph} leaves a model.
   */
  public static Path exportFrozen(Path file, long seed, long[] inputShape, Body body) {
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputShape)));
      tf.withName("y").identity(body.apply(tf, x, new SeededWeights(seed)));
      org.tensorflow.proto.GraphDef all = graph.toGraphDef();
      Map<String, org.tensorflow.proto.NodeDef> byName = new java.util.HashMap<>();
      all.getNodeList().forEach(n -> byName.put(n.getName(), n));
      java.util.Set<String> needed = new java.util.HashSet<>();
      java.util.Deque<String> work = new java.util.ArrayDeque<>(java.util.List.of("y"));
      while (!work.isEmpty()) {
        String name = work.poll();
        if (needed.add(name)) {
          byName.get(name).getInputList().forEach(in -> work.add(in.replaceFirst("^\\^", "").replaceFirst(":\\d+$", "")));
        }
      }
      org.tensorflow.proto.GraphDef.Builder frozen = all.toBuilder().clearNode();
      all.getNodeList().stream().filter(n -> needed.contains(n.getName())).forEach(frozen::addNode);
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      java.nio.file.Files.write(file, frozen.build().toByteArray());
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the frozen graph " + file, e);
    }
  }

  /**
   * The TensorFlow op types the body builds (input, identity output and constants included), without exporting or
   * running anything: what coverage checks read to know which ops a test row exercises.
   */
  public static java.util.Set<String> opTypes(long[] inputShape, Body body) {
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputShape)));
      tf.withName("y").identity(body.apply(tf, x, new SeededWeights(1)));
      java.util.Set<String> types = new java.util.TreeSet<>();
      graph.operations().forEachRemaining(op -> types.add(op.type()));
      return types;
    }
  }
}
