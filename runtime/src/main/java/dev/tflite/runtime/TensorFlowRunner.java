package dev.tflite.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Runs the original model in real TensorFlow: a SavedModel through its signature, or a frozen GraphDef by feeding its
 * placeholders and fetching its output nodes by name.
 */
public abstract class TensorFlowRunner implements ModelRunner {
  static {
    TensorFlowNative.ensureLoaded();
  }


  public static TensorFlowRunner open(Path source, String signatureKey, List<String> tags) {
    if (Files.isDirectory(source)) {
      ObjectGraphFunctionRunner function = ObjectGraphFunctionRunner.forKey(source, signatureKey, tags);
      return function != null ? function : new SavedModelRunner(source, signatureKey, tags);
    }
    return new GraphDefRunner(source);
  }

  /**
   * A frozen graph fed by signature name ({@code inputs}: signature name → graph tensor) and fetching the given
   * tensors by name: used to read intermediate layers.
   */
  public static TensorFlowRunner frozen(Path graphDef, Map<String, String> inputs, List<String> fetches) {
    return new FrozenGraphRunner(graphDef, inputs, fetches);
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    Map<String, Tensor> feeds = new HashMap<>();
    try {
      inputs.asMap().forEach((name, t) -> feeds.put(name, inputType(name) == org.tensorflow.proto.DataType.DT_INT32
          ? org.tensorflow.types.TInt32.tensorOf(Shape.of(t.shape()), DataBuffers.of(toInts(t.values()), true, false))
          : TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false))));
      return execute(feeds);
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  protected abstract NamedTensors execute(Map<String, Tensor> feeds);

  /** The element type of an input: float32 unless the model says otherwise (int32 token ids). */
  protected org.tensorflow.proto.DataType inputType(String name) {
    return org.tensorflow.proto.DataType.DT_FLOAT;
  }

  private static int[] toInts(float[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = Math.round(values[i]);
    }
    return ints;
  }

  /** A graph tensor ({@code node} or {@code node:i}) as a spec under {@code name}. */
  static TensorSpec spec(Graph graph, String name, String tensor) {
    org.tensorflow.Output<?> output = graph.output(tensor);
    return new TensorSpec(name, typeName(output.dataType()), output.shape().isUnknown() ? null : output.shape().asArray());
  }

  /** TensorFlow's element type as TensorFlow Lite spells it ({@code DT_FLOAT} → {@code float32}). */
  static String typeName(org.tensorflow.proto.DataType type) {
    return switch (type) {
      case DT_FLOAT -> "float32";
      case DT_DOUBLE -> "float64";
      case DT_HALF -> "float16";
      case DT_INT8 -> "int8";
      case DT_UINT8 -> "uint8";
      case DT_INT16 -> "int16";
      case DT_INT32 -> "int32";
      case DT_INT64 -> "int64";
      case DT_BOOL -> "bool";
      case DT_STRING -> "string";
      default -> type.name().toLowerCase(java.util.Locale.ROOT).replaceFirst("^dt_", "");
    };
  }

  private static List<TensorSpec> specs(Map<String, org.tensorflow.Signature.TensorDescription> described) {
    List<TensorSpec> specs = new ArrayList<>();
    described.forEach((name, d) -> specs.add(new TensorSpec(name, typeName(d.dataType), d.shape.isUnknown() ? null : d.shape.asArray())));
    return specs;
  }

  static NamedTensors.FloatTensor toFloat(String name, Tensor tensor) {
    if (!(tensor instanceof TFloat32 f)) {
      throw new IllegalStateException("TensorFlow output '" + name + "' is " + tensor.dataType() + "; only float32 outputs are compared");
    }
    float[] values = new float[Math.toIntExact(f.size())];
    f.copyTo(DataBuffers.of(values, false, false));
    return new NamedTensors.FloatTensor(f.shape().asArray(), values);
  }

  private static final class SavedModelRunner extends TensorFlowRunner {
    private final SavedModelBundle bundle;
    private final SessionFunction function;

    SavedModelRunner(Path directory, String signatureKey, List<String> tags) {
      this.bundle = SavedModelBundle.loader(directory.toString()).withTags(tags.toArray(String[]::new)).load();
      this.function = bundle.function(signatureKey != null ? signatureKey : defaultSignature(bundle, directory));
    }

    /** For a .tflite without SignatureDef: {@code serving_default}, else the only signature. */
    private static String defaultSignature(SavedModelBundle bundle, Path directory) {
      List<String> keys = bundle.signatures().stream().map(org.tensorflow.Signature::key).toList();
      if (keys.contains(org.tensorflow.Signature.DEFAULT_KEY) || keys.size() != 1) {
        if (!keys.contains(org.tensorflow.Signature.DEFAULT_KEY)) {
          bundle.close();
          throw new IllegalArgumentException(directory + " has the signatures " + keys + " and no '" + org.tensorflow.Signature.DEFAULT_KEY
              + "'; a .tflite without SignatureDef does not say which one it was converted from, so validation needs '"
              + org.tensorflow.Signature.DEFAULT_KEY + "' or a single signature (or a .tflite with a SignatureDef)");
        }
        return org.tensorflow.Signature.DEFAULT_KEY;
      }
      return keys.get(0);
    }

    @Override
    protected org.tensorflow.proto.DataType inputType(String name) {
      return function.signature().getInputs().get(name).dataType;
    }

    @Override
    public List<TensorSpec> inputSpecs() {
      return specs(function.signature().getInputs());
    }

    @Override
    public List<TensorSpec> outputSpecs() {
      return specs(function.signature().getOutputs());
    }

    @Override
    protected NamedTensors execute(Map<String, Tensor> feeds) {
      NamedTensors out = new NamedTensors();
      try (Result result = function.call(feeds)) {
        for (String name : function.signature().outputNames()) {
          out.put(name, toFloat(name, result.get(name).orElseThrow()));
        }
      }
      return out;
    }

    @Override
    public void close() {
      bundle.close();
    }
  }

  /**
   * A function of the SavedModel's object graph ({@code @tf.function} method of a {@code tf.Module}) that its signature
   * map does not hold: called as TensorFlow calls it, its captured variables restored from the checkpoint. Inputs and
   * outputs are named as the converter names them ({@link SavedModelFunctions}).
   */
  private static final class ObjectGraphFunctionRunner extends TensorFlowRunner {
    private final SavedModelFunctions.Function function;
    private final Graph graph = new Graph();
    private final Session session;

    /** The runner for {@code key} when it names an object-graph function rather than a signature; null otherwise. */
    static ObjectGraphFunctionRunner forKey(Path directory, String key, List<String> tags) {
      org.tensorflow.proto.MetaGraphDef metaGraph = metaGraph(directory, tags);
      if (metaGraph == null) {
        return null;
      }
      Map<String, org.tensorflow.proto.SignatureDef> signatures = new HashMap<>(metaGraph.getSignatureDefMap());
      signatures.remove("__saved_model_init_op");
      if (key != null ? signatures.containsKey(key) : !signatures.isEmpty()) {
        return null;
      }
      Map<String, SavedModelFunctions.Function> functions = SavedModelFunctions.read(directory, metaGraph);
      SavedModelFunctions.Function chosen = key != null ? functions.get(key) : functions.size() == 1 ? functions.values().iterator().next() : null;
      if (chosen == null) {
        throw new IllegalArgumentException(directory + " has no signature or object-graph function " + (key == null ? "to choose without a name" : "'" + key + "'")
            + "; signatures: " + new java.util.TreeSet<>(signatures.keySet()) + ", functions: " + functions.keySet()
            + "; name one with <signature> (--signature)");
      }
      return new ObjectGraphFunctionRunner(directory, metaGraph, chosen);
    }

    private static org.tensorflow.proto.MetaGraphDef metaGraph(Path directory, List<String> tags) {
      try {
        org.tensorflow.proto.SavedModel saved = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(directory.resolve("saved_model.pb")));
        return saved.getMetaGraphsList().stream()
            .filter(m -> m.getMetaInfoDef().getTagsList().containsAll(tags) && tags.containsAll(m.getMetaInfoDef().getTagsList()))
            .findFirst().orElse(null);
      } catch (IOException e) {
        return null; // the SavedModel loader reports what is wrong with the directory
      }
    }

    private ObjectGraphFunctionRunner(Path directory, org.tensorflow.proto.MetaGraphDef metaGraph, SavedModelFunctions.Function function) {
      this.function = function;
      try {
        graph.importGraphDef(SavedModelFunctions.callGraph(metaGraph, function));
        this.session = new Session(graph);
        SavedModelFunctions.restore(session, directory, function);
      } catch (RuntimeException e) {
        graph.close();
        throw new IllegalArgumentException("cannot call function '" + function.path() + "' of " + directory + ": " + e.getMessage(), e);
      }
    }

    @Override
    protected org.tensorflow.proto.DataType inputType(String name) {
      return function.inputs().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow().type();
    }

    @Override
    public List<TensorSpec> inputSpecs() {
      return function.inputs().stream().map(a -> new TensorSpec(a.name(), typeName(a.type()), a.shape())).toList();
    }

    @Override
    public List<TensorSpec> outputSpecs() {
      return function.outputs().stream().map(a -> new TensorSpec(a.name(), typeName(a.type()), a.shape())).toList();
    }

    @Override
    protected NamedTensors execute(Map<String, Tensor> feeds) {
      Session.Runner runner = session.runner();
      feeds.forEach(runner::feed);
      for (int i = 0; i < function.outputs().size(); i++) {
        runner.fetch(SavedModelFunctions.CALL, i);
      }
      NamedTensors out = new NamedTensors();
      try (Result result = runner.run()) {
        for (int i = 0; i < function.outputs().size(); i++) {
          String name = function.outputs().get(i).name();
          out.put(name, toFloat(name, result.get(i)));
        }
      }
      return out;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  private static final class FrozenGraphRunner extends TensorFlowRunner {
    private final Graph graph = new Graph();
    private final Session session;
    private final Map<String, String> inputs;
    private final List<String> fetches;

    FrozenGraphRunner(Path file, Map<String, String> inputs, List<String> fetches) {
      try {
        graph.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(file)));
      } catch (IOException | RuntimeException e) {
        graph.close();
        throw new IllegalArgumentException("cannot load the frozen graph " + file + ": " + e.getMessage(), e);
      }
      // Grappler may fuse fetched intermediates away (e.g. x * sigmoid(x) into one Swish kernel); layer outputs must stay
      this.session = new Session(graph, org.tensorflow.proto.ConfigProto.newBuilder()
          .setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder()
              .setRewriteOptions(org.tensorflow.proto.RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
          .build());
      this.inputs = inputs;
      this.fetches = List.copyOf(fetches);
    }

    @Override
    protected org.tensorflow.proto.DataType inputType(String name) {
      return graph.output(inputs.get(name)).dataType();
    }

    @Override
    public List<TensorSpec> inputSpecs() {
      List<TensorSpec> specs = new ArrayList<>();
      inputs.forEach((name, tensor) -> specs.add(spec(graph, name, tensor)));
      return specs;
    }

    @Override
    public List<TensorSpec> outputSpecs() {
      return fetches.stream().map(f -> spec(graph, f, f)).toList();
    }

    @Override
    protected NamedTensors execute(Map<String, Tensor> feeds) {
      Session.Runner runner = session.runner();
      feeds.forEach((name, tensor) -> runner.feed(inputs.get(name), tensor));
      fetches.forEach(runner::fetch);
      NamedTensors out = new NamedTensors();
      try (Result result = runner.run()) {
        for (int i = 0; i < fetches.size(); i++) {
          if (result.get(i) instanceof TFloat32) {
            out.put(fetches.get(i), toFloat(fetches.get(i), result.get(i)));
          }
        }
      }
      return out;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  /** Fed by placeholder name, read by the names of the nodes nothing consumes (both in graph order). */
  private static final class GraphDefRunner extends TensorFlowRunner {
    private final Graph graph = new Graph();
    private final Session session;
    private final List<String> placeholders = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    GraphDefRunner(Path file) {
      try {
        GraphDef def = GraphDef.parseFrom(Files.readAllBytes(file));
        graph.importGraphDef(def);
        java.util.Set<String> consumed = new java.util.HashSet<>();
        def.getNodeList().forEach(n -> n.getInputList().forEach(i -> consumed.add(i.replaceFirst("^\\^", "").replaceFirst(":\\d+$", ""))));
        def.getNodeList().stream()
            .filter(n -> !consumed.contains(n.getName()) && !java.util.Set.of("NoOp", "Const", "Placeholder").contains(n.getOp()))
            .forEach(n -> outputs.add(n.getName()));
        def.getNodeList().stream().filter(n -> n.getOp().equals("Placeholder")).forEach(n -> placeholders.add(n.getName()));
      } catch (IOException e) {
        graph.close();
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
      this.session = new Session(graph);
    }

    @Override
    protected org.tensorflow.proto.DataType inputType(String name) {
      return graph.output(name).dataType();
    }

    @Override
    public List<TensorSpec> inputSpecs() {
      return placeholders.stream().map(p -> spec(graph, p, p)).toList();
    }

    @Override
    public List<TensorSpec> outputSpecs() {
      return outputs.stream().map(o -> spec(graph, o, o)).toList();
    }

    @Override
    protected NamedTensors execute(Map<String, Tensor> feeds) {
      Session.Runner runner = session.runner();
      feeds.forEach(runner::feed);
      outputs.forEach(runner::fetch);
      NamedTensors out = new NamedTensors();
      try (Result result = runner.run()) {
        for (int i = 0; i < outputs.size(); i++) {
          out.put(outputs.get(i), toFloat(outputs.get(i), result.get(i)));
        }
      }
      return out;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }
}
