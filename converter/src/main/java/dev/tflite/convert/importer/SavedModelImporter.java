package dev.tflite.convert.importer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.importer.loops.LoopUnroller;
import dev.tflite.convert.ir.DType;
import dev.tflite.runtime.SavedModelFunctions;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorFlowTime;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfGraphs;
import dev.tflite.convert.tf.TfRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a SavedModel (TF1 graph-mode or TF2/Keras with a function library) into a frozen {@link TfGraph}: only the
 * subgraph the chosen signature needs, functions inlined, variables replaced by their restored values.
 */
public final class SavedModelImporter {
  private SavedModelImporter() {}

  public static TfGraph load(Path directory, String signatureKey, List<String> tags) {
    return load(directory, signatureKey, tags, Map.of());
  }

  public static TfGraph load(Path directory, String signatureKey, List<String> tags, Map<String, long[]> inputShapes) {
    MetaGraphDef metaGraph = readMetaGraph(directory, tags);
    Map<String, SignatureDef> signatures = new TreeMap<>(metaGraph.getSignatureDefMap());
    signatures.remove("__saved_model_init_op");
    SavedModelFunctions.Function function = objectGraphFunction(directory, metaGraph, signatureKey, signatures);
    if (function != null) {
      return loadFunction(directory, metaGraph, function);
    }
    String key = chooseSignature(directory, signatureKey, signatures);
    SignatureDef signature = signatures.get(key);

    List<TensorInfo> signatureInfos = new ArrayList<>();
    signatures.values().forEach(sig -> {
      signatureInfos.addAll(sig.getInputsMap().values());
      signatureInfos.addAll(sig.getOutputsMap().values());
    });
    GraphDefChecks.check(directory.resolve("saved_model.pb").toString(), metaGraph.getGraphDef(), signatureInfos);
    List<SignatureTensor> inputs = signatureTensors(signature.getInputsMap());
    List<SignatureTensor> outputs = signatureTensors(signature.getOutputsMap());
    requireNumericInputs(directory, key, inputs, signatures);

    try (SavedModelBundle bundle = loadBundle(directory, tags)) {
      List<NodeDef> needed = TfGraphs.reachable(metaGraph.getGraphDef().getNodeList(), outputs);
      Map<String, String> aliases = new HashMap<>();
      List<NodeDef> flat = FunctionInliner.inline(needed, metaGraph.getGraphDef().getLibrary(), aliases);
      List<SignatureTensor> resolvedOutputs = new ArrayList<>();
      for (SignatureTensor out : outputs) {
        String resolved = aliases.getOrDefault(out.tensor().toString(), out.tensor().toString());
        resolvedOutputs.add(out.withTensor(TensorName.parse(resolved)));
      }
      List<SignatureTensor> fedInputs = new ArrayList<>();
      List<NodeDef> cut = TfGraphs.reachable(SignatureInputs.cut(flat, inputs, fedInputs), resolvedOutputs);
      if (LoopUnroller.hasLoops(cut)) { // before freezing: a variable read in a loop body becomes one shared constant
        LoopUnroller.Unrolled unrolled = LoopUnroller.unroll(
            new TfGraph(key, metaGraph.getGraphDef().getVersions(), cut, fedInputs, resolvedOutputs),
            metaGraph.getGraphDef().getLibrary(), inputShapes);
        cut = unrolled.nodes();
        resolvedOutputs.replaceAll(out -> out.withTensor(unrolled.resolve(out.tensor())));
      }
      List<NodeDef> frozen = VariableFreezer.freeze(TfGraphs.reachable(cut, resolvedOutputs), bundle);
      List<NodeDef> pruned = TfGraphs.reachable(frozen, resolvedOutputs);
      return new TfGraph(key, metaGraph.getGraphDef().getVersions(), pruned, fedInputs, resolvedOutputs);
    }
  }

  /**
   * The object-graph function to convert when the signature map cannot say: {@code requested} names a function rather
   * than a signature, or the map is empty and the object graph holds exactly one function. Null: use the signature map.
   */
  private static SavedModelFunctions.Function objectGraphFunction(Path directory, MetaGraphDef metaGraph, String requested,
      Map<String, SignatureDef> signatures) {
    boolean named = requested != null && !requested.isBlank();
    if (named ? signatures.containsKey(requested) : !signatures.isEmpty()) {
      return null;
    }
    Map<String, SavedModelFunctions.Function> functions;
    try {
      functions = SavedModelFunctions.read(directory, metaGraph);
    } catch (IllegalArgumentException e) {
      throw new ConversionException(directory + ": " + e.getMessage(), e);
    }
    String how = "set <signature> (command line: --signature) to one of them";
    if (named) {
      SavedModelFunctions.Function f = functions.get(requested);
      if (f == null) {
        throw new ConversionException(directory + " has no signature '" + requested + "'" + (functions.isEmpty() ? "" : " nor a function of that name in its object graph")
            + "; signatures: " + signatures.keySet()
            + (functions.isEmpty() ? "" : ", functions in its object graph: " + SavedModelFunctions.describe(functions)) + "; " + how);
      }
      return f;
    }
    if (functions.size() == 1) {
      return functions.values().iterator().next();
    }
    if (functions.isEmpty()) {
      throw new ConversionException(directory + " defines no signatures and no functions in its object graph; export it with a serving signature"
          + " (tf.saved_model.save(model, path, signatures=...)) or with @tf.function methods that have an input_signature");
    }
    throw new ConversionException(directory + " defines no signatures and " + functions.size() + " functions in its object graph: "
        + SavedModelFunctions.describe(functions) + "; " + how);
  }

  /**
   * Imports one object-graph function: a graph calling it (inputs as Placeholders, captured variables restored from the
   * checkpoint into a session of their own) inlined and frozen as a signature's would be.
   */
  private static TfGraph loadFunction(Path directory, MetaGraphDef metaGraph, SavedModelFunctions.Function function) {
    org.tensorflow.proto.GraphDef call = SavedModelFunctions.callGraph(metaGraph, function);
    List<SignatureTensor> inputs = new ArrayList<>();
    for (SavedModelFunctions.Arg in : function.inputs()) {
      inputs.add(new SignatureTensor(in.name(), new TensorName(in.name(), 0), in.type(), in.shape()));
    }
    List<SignatureTensor> outputs = new ArrayList<>();
    for (int i = 0; i < function.outputs().size(); i++) {
      SavedModelFunctions.Arg out = function.outputs().get(i);
      outputs.add(new SignatureTensor(out.name(), new TensorName(SavedModelFunctions.CALL, i), out.type(), out.shape()));
    }
    requireNumericInputs(directory, function.path(), inputs, Map.of());
    GraphDefChecks.check(directory.resolve("saved_model.pb").toString(), call, List.of());
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
      org.tensorflow.Session session;
      try {
        TensorFlowTime.measure(() -> graph.importGraphDef(call));
        session = new org.tensorflow.Session(graph);
      } catch (RuntimeException e) {
        throw new ConversionException("TensorFlow cannot load function '" + function.path() + "' of " + directory + ": " + TfRuntime.firstLine(e.getMessage()), e);
      }
      try (session) {
        try {
          TensorFlowTime.measure(() -> SavedModelFunctions.restore(session, directory, function));
        } catch (RuntimeException e) {
          throw new ConversionException("cannot restore the variables of function '" + function.path() + "' from " + directory.resolve("variables")
              + ": " + TfRuntime.firstLine(e.getMessage()) + " (is the variables/ folder complete?)", e);
        }
        Map<String, String> aliases = new HashMap<>();
        List<NodeDef> needed = TfGraphs.reachable(call.getNodeList(), outputs);
        List<NodeDef> flat = FunctionInliner.inline(needed, call.getLibrary(), aliases);
        List<SignatureTensor> resolvedOutputs = new ArrayList<>();
        for (SignatureTensor out : outputs) {
          resolvedOutputs.add(out.withTensor(TensorName.parse(aliases.getOrDefault(out.tensor().toString(), out.tensor().toString()))));
        }
        List<NodeDef> frozen = VariableFreezer.freeze(TfGraphs.reachable(flat, resolvedOutputs), graph, session);
        return new TfGraph(function.path(), call.getVersions(), TfGraphs.reachable(frozen, resolvedOutputs), inputs, resolvedOutputs);
      }
    }
  }

  private static MetaGraphDef readMetaGraph(Path directory, List<String> tags) {
    Path pb = directory.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      String hint = Files.isRegularFile(directory.resolve("saved_model.pbtxt"))
          ? "text SavedModels (saved_model.pbtxt) are not supported; re-export in binary form"
          : "a SavedModel directory holds saved_model.pb and variables/; point <source> at the directory tf.saved_model.save wrote";
      throw new ConversionException(directory + " is not a SavedModel: no saved_model.pb in it (" + hint + ")");
    }
    SavedModel savedModel;
    try {
      savedModel = SavedModel.parseFrom(Files.readAllBytes(pb));
    } catch (InvalidProtocolBufferException e) {
      throw new ConversionException(pb + " is corrupt (not a readable SavedModel protocol buffer: " + e.getMessage()
          + "); re-export the model or restore the file from version control");
    } catch (IOException e) {
      throw new ConversionException("cannot read " + pb + ": " + e.getMessage(), e);
    }
    List<String> available = new ArrayList<>();
    for (MetaGraphDef mg : savedModel.getMetaGraphsList()) {
      List<String> mgTags = mg.getMetaInfoDef().getTagsList();
      available.add(mgTags.toString());
      if (mgTags.containsAll(tags) && tags.containsAll(mgTags)) {
        return mg;
      }
    }
    if (available.isEmpty()) {
      throw new ConversionException(pb + " holds no MetaGraph: the file is empty or corrupt; re-export the model");
    }
    throw new ConversionException(directory + " has no MetaGraph tagged " + tags + "; available tag sets: " + available + "; set <tags> to one of them");
  }

  private static String chooseSignature(Path directory, String requested, Map<String, SignatureDef> signatures) {
    if (signatures.isEmpty()) {
      throw new ConversionException(directory + " defines no signatures; export it with a serving signature (tf.saved_model.save(model, path, signatures=...))");
    }
    if (requested != null && !requested.isBlank()) {
      if (!signatures.containsKey(requested)) {
        throw new ConversionException(directory + " has no signature '" + requested + "'; available: " + signatures.keySet() + "; set <signature> to one of them");
      }
      return requested;
    }
    if (signatures.containsKey("serving_default")) {
      return "serving_default";
    }
    if (signatures.size() == 1) {
      return signatures.keySet().iterator().next();
    }
    throw new ConversionException(directory + " has no 'serving_default' signature and several others: " + signatures.keySet() + "; set <signature> to the one to convert");
  }

  private static List<SignatureTensor> signatureTensors(Map<String, TensorInfo> infos) {
    List<SignatureTensor> result = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> e : new TreeMap<>(infos).entrySet()) {
      TensorInfo info = e.getValue();
      if (info.getName().isEmpty()) {
        throw new ConversionException("signature entry '" + e.getKey() + "' is not a dense tensor (sparse or composite tensors are not supported)");
      }
      result.add(new SignatureTensor(e.getKey(), TensorName.parse(info.getName()), info.getDtype(), shapeOf(info.getTensorShape())));
    }
    return result;
  }

  /** String inputs (serialized tf.Example) cannot reach a TensorFlow Lite model; point the user at numeric signatures. */
  private static void requireNumericInputs(Path directory, String key, List<SignatureTensor> inputs, Map<String, SignatureDef> all) {
    for (SignatureTensor in : inputs) {
      if (DType.fromTensorFlow(in.type()) == null) {
        List<String> numeric = all.entrySet().stream()
            .filter(e -> e.getValue().getInputsMap().values().stream().allMatch(i -> DType.fromTensorFlow(i.getDtype()) != null))
            .map(Map.Entry::getKey).toList();
        throw new ConversionException("signature '" + key + "' of " + directory + " takes input '" + in.name() + "' of type " + in.type()
            + (in.type() == DataType.DT_STRING ? " (serialized tf.Example protos)" : "")
            + ", which a TensorFlow Lite model cannot take; set <signature> to one with numeric inputs"
            + (numeric.isEmpty() ? " (this SavedModel has none)" : ": " + numeric));
      }
    }
  }

  static long[] shapeOf(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return null;
    }
    return shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  private static SavedModelBundle loadBundle(Path directory, List<String> tags) {
    try {
      return TensorFlowTime.measure(() -> SavedModelBundle.loader(directory.toString()).withTags(tags.toArray(String[]::new)).load());
    } catch (RuntimeException e) {
      throw new ConversionException("TensorFlow cannot load the SavedModel " + directory + ": " + TfRuntime.firstLine(e.getMessage())
          + " (is the variables/ folder complete and readable?)", e);
    }
  }
}
