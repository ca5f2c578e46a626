package dev.tflite.runtime;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedConcreteFunction;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph;
import org.tensorflow.proto.Struct.StructuredValue;
import org.tensorflow.proto.Struct.TensorSpecProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject;
import org.tensorflow.types.TString;

/**
 * The functions a TF2 SavedModel keeps in its object graph ({@code tf.Module} methods decorated with
 * {@code @tf.function}, saved with or without {@code signatures=}), by object path ({@code predict},
 * {@code encoder.call}). A SavedModel whose signature map is empty or lacks the wanted function still holds them: each
 * is a concrete function in the library taking the user's tensors and then the captured variables ({@code bound_inputs}).
 * {@link #callGraph} builds a graph that calls one with the variables restored from the checkpoint, which the converter
 * imports and validation runs as TensorFlow's own reference.
 */
public final class SavedModelFunctions {
  /** Node-name prefix of everything the call graph adds besides the input placeholders. */
  public static final String PREFIX = "tflite_call/";
  /** The call node: output i is the function's i-th output. */
  public static final String CALL = PREFIX + "call";
  private static final String RESTORE = PREFIX + "restore";
  private static final String CHECKPOINT = PREFIX + "checkpoint";

  /** A user input or output: its name, type and shape (null: unknown rank; -1: unknown dimension). */
  public record Arg(String name, DataType type, long[] shape) {}

  /** A captured input: a variable (its checkpoint key) or a constant (its node in the MetaGraph's graph). */
  public record Capture(String checkpointKey, DataType type, long[] shape, String constantNode) {}

  /** One callable function: object path, the concrete function's library name, inputs, outputs and captures. */
  public record Function(String path, String concreteFunction, List<Arg> inputs, List<Arg> outputs, List<Capture> captures) {}

  private SavedModelFunctions() {}

  /**
   * Every function in the object graph by path, sorted. Traces of one {@code tf.function} with several concrete functions
   * are {@code path[0]}, {@code path[1]}, …; the functions under {@code signatures} are left out (the signature map
   * holds them). Variables are matched to their checkpoint keys through the checkpoint's own object graph.
   */
  public static Map<String, Function> read(Path directory, MetaGraphDef metaGraph) {
    Map<String, Function> result = new TreeMap<>();
    if (!metaGraph.hasObjectGraphDef() || metaGraph.getObjectGraphDef().getNodesCount() == 0) {
      return result;
    }
    SavedObjectGraph objects = metaGraph.getObjectGraphDef();
    Map<Integer, String> paths = paths(objects);
    Map<Integer, String> checkpointKeys = null; // read only when a function captures a variable
    for (Map.Entry<Integer, String> e : paths.entrySet()) {
      SavedObject node = objects.getNodes(e.getKey());
      String path = e.getValue();
      if (path.equals("signatures") || path.startsWith("signatures.")) {
        continue;
      }
      List<String> concrete = new ArrayList<>();
      List<String> argNames = new ArrayList<>();
      if (node.getKindCase() == SavedObject.KindCase.FUNCTION) {
        concrete.addAll(node.getFunction().getConcreteFunctionsList());
        argNames.addAll(argNames(node.getFunction().getFunctionSpec().getFullargspec()));
      } else if (node.getKindCase() == SavedObject.KindCase.BARE_CONCRETE_FUNCTION && !isTraceOfAFunction(objects, e.getKey())) {
        concrete.add(node.getBareConcreteFunction().getConcreteFunctionName());
        argNames.addAll(node.getBareConcreteFunction().getArgumentKeywordsList());
      }
      for (int i = 0; i < concrete.size(); i++) {
        SavedConcreteFunction fn = objects.getConcreteFunctionsOrThrow(concrete.get(i));
        boolean needsKeys = fn.getBoundInputsList().stream().anyMatch(id -> objects.getNodes(id).getKindCase() == SavedObject.KindCase.VARIABLE);
        if (needsKeys && checkpointKeys == null) {
          checkpointKeys = checkpointKeys(directory, objects);
        }
        String name = concrete.size() == 1 ? path : path + "[" + i + "]";
        result.put(name, function(name, concrete.get(i), fn, argNames, objects, paths, checkpointKeys, metaGraph.getGraphDef().getLibrary()));
      }
    }
    return result;
  }

  /** Whether a bare concrete function is the trace of a {@code tf.function} (then the function itself is listed). */
  private static boolean isTraceOfAFunction(SavedObjectGraph objects, int id) {
    for (SavedObject n : objects.getNodesList()) {
      if (n.getKindCase() == SavedObject.KindCase.FUNCTION && n.getChildrenList().stream().anyMatch(c -> c.getNodeId() == id)) {
        return true;
      }
    }
    return false;
  }

  /** The first path to every node, breadth first from the root, as Python spells attribute access. */
  private static Map<Integer, String> paths(SavedObjectGraph objects) {
    Map<Integer, String> paths = new LinkedHashMap<>();
    Deque<Integer> queue = new ArrayDeque<>(List.of(0));
    paths.put(0, "");
    while (!queue.isEmpty()) {
      int id = queue.poll();
      for (TrackableObject.ObjectReference child : objects.getNodes(id).getChildrenList()) {
        if (!paths.containsKey(child.getNodeId())) {
          String parent = paths.get(id);
          paths.put(child.getNodeId(), parent.isEmpty() ? child.getLocalName() : parent + "." + child.getLocalName());
          queue.add(child.getNodeId());
        }
      }
    }
    paths.remove(0);
    return paths;
  }

  private static List<String> argNames(StructuredValue fullArgSpec) {
    List<String> names = new ArrayList<>();
    StructuredValue args = fullArgSpec.getNamedTupleValue().getValuesList().stream()
        .filter(p -> p.getKey().equals("args")).map(p -> p.getValue()).findFirst().orElse(null);
    if (args != null) {
      args.getListValue().getValuesList().forEach(v -> names.add(v.getStringValue()));
    }
    if (!names.isEmpty() && names.get(0).equals("self")) {
      names.remove(0);
    }
    return names;
  }

  private static Function function(String name, String concreteName, SavedConcreteFunction fn, List<String> argNames, SavedObjectGraph objects,
      Map<Integer, String> paths, Map<Integer, String> checkpointKeys, FunctionDefLibrary library) {
    FunctionDef def = library.getFunctionList().stream().filter(f -> f.getSignature().getName().equals(concreteName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("function '" + name + "' names concrete function '" + concreteName
            + "', which is missing from the SavedModel's function library"));
    List<Arg> inputs = new ArrayList<>();
    StructuredValue signature = fn.getCanonicalizedInputSignature();
    List<StructuredValue> parts = signature.hasTupleValue() ? signature.getTupleValue().getValuesList() : List.of(signature);
    if (!parts.isEmpty()) {
      List<StructuredValue> positional = parts.get(0).hasTupleValue() ? parts.get(0).getTupleValue().getValuesList() : List.of(parts.get(0));
      for (int i = 0; i < positional.size(); i++) {
        flatten(positional.get(i), i < argNames.size() ? argNames.get(i) : "input_" + i, inputs, true);
      }
      if (parts.size() > 1) {
        flatten(parts.get(1), "", inputs, true);
      }
    }
    List<Arg> outputs = new ArrayList<>();
    flatten(fn.getOutputSignature(), "output_0", outputs, false);
    OpDef op = def.getSignature();
    int captured = fn.getBoundInputsCount();
    if (inputs.size() + captured != op.getInputArgCount() || outputs.size() != op.getOutputArgCount()) {
      throw new IllegalArgumentException("function '" + name + "' declares " + inputs.size() + " inputs, " + captured + " captures and "
          + outputs.size() + " outputs, but its concrete function '" + concreteName + "' takes " + op.getInputArgCount() + " and returns "
          + op.getOutputArgCount() + " tensors; the SavedModel is inconsistent");
    }
    for (int i = 0; i < inputs.size(); i++) {
      Arg in = inputs.get(i);
      inputs.set(i, new Arg(in.name(), op.getInputArg(i).getType(), in.shape()));
    }
    for (int i = 0; i < outputs.size(); i++) {
      Arg out = outputs.get(i);
      outputs.set(i, new Arg(out.name(), op.getOutputArg(i).getType(), out.shape()));
    }
    List<Capture> captures = new ArrayList<>();
    for (int id : fn.getBoundInputsList()) {
      SavedObject bound = objects.getNodes(id);
      String boundPath = paths.getOrDefault(id, "node " + id);
      switch (bound.getKindCase()) {
        case VARIABLE -> {
          String key = checkpointKeys.get(id);
          if (key == null) {
            throw new IllegalArgumentException("function '" + name + "' reads variable '" + boundPath + "', which the checkpoint (variables/) does not hold");
          }
          captures.add(new Capture(key, bound.getVariable().getDtype(), shape(bound.getVariable().getShape()), null));
        }
        case CONSTANT -> captures.add(new Capture(null, null, null, bound.getConstant().getOperation()));
        default -> throw new IllegalArgumentException("function '" + name + "' captures '" + boundPath + "' (a " + bound.getKindCase()
            + "); only variables and constants can be captured by a converted function");
      }
    }
    return new Function(name, concreteName, List.copyOf(inputs), List.copyOf(outputs), List.copyOf(captures));
  }

  /** Flattens a structure as {@code tf.nest} does (dict keys sorted), naming leaves by their spec name or path. */
  private static void flatten(StructuredValue value, String path, List<Arg> into, boolean preferSpecName) {
    switch (value.getKindCase()) {
      case TENSOR_SPEC_VALUE -> {
        TensorSpecProto spec = value.getTensorSpecValue();
        String name = preferSpecName && !spec.getName().isEmpty() ? spec.getName() : path;
        into.add(new Arg(unique(name, into), spec.getDtype(), shape(spec.getShape())));
      }
      case TUPLE_VALUE -> {
        List<StructuredValue> items = value.getTupleValue().getValuesList();
        for (int i = 0; i < items.size(); i++) {
          flatten(items.get(i), sequencePath(path, i, preferSpecName), into, preferSpecName);
        }
      }
      case LIST_VALUE -> {
        List<StructuredValue> items = value.getListValue().getValuesList();
        for (int i = 0; i < items.size(); i++) {
          flatten(items.get(i), sequencePath(path, i, preferSpecName), into, preferSpecName);
        }
      }
      case DICT_VALUE -> new TreeMap<>(value.getDictValue().getFieldsMap())
          .forEach((key, item) -> flatten(item, path.isEmpty() || path.equals("output_0") ? key : path + "_" + key, into, preferSpecName));
      case NAMED_TUPLE_VALUE -> value.getNamedTupleValue().getValuesList()
          .forEach(p -> flatten(p.getValue(), path.isEmpty() || path.equals("output_0") ? p.getKey() : path + "_" + p.getKey(), into, preferSpecName));
      case NONE_VALUE, KIND_NOT_SET -> { }
      default -> throw new IllegalArgumentException("a function input or output '" + path + "' is a " + value.getKindCase()
          + ", not a tensor; only dense tensors can be converted");
    }
  }

  /** Outputs of a tuple are output_0, output_1, … as TensorFlow names a signature's; nested inputs get their index. */
  private static String sequencePath(String path, int index, boolean input) {
    if (!input && path.equals("output_0")) {
      return "output_" + index;
    }
    return path.isEmpty() ? "input_" + index : path + "_" + index;
  }

  private static String unique(String name, List<Arg> existing) {
    String candidate = name;
    for (int i = 1; taken(existing, candidate); i++) {
      candidate = name + "_" + i;
    }
    return candidate;
  }

  private static boolean taken(List<Arg> existing, String name) {
    return existing.stream().anyMatch(a -> a.name().equals(name));
  }

  private static long[] shape(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return null;
    }
    return shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /**
   * Node id → checkpoint key of each variable, from the checkpoint's own object graph walked alongside the SavedModel's
   * by child name (the two share their structure; the key is what TensorFlow restores the variable from).
   */
  private static Map<Integer, String> checkpointKeys(Path directory, SavedObjectGraph objects) {
    TrackableObjectGraph checkpoint = checkpointObjectGraph(directory);
    Map<Integer, String> keys = new HashMap<>();
    Deque<int[]> queue = new ArrayDeque<>();
    Set<Integer> seen = new HashSet<>();
    queue.add(new int[] {0, 0});
    while (!queue.isEmpty()) {
      int[] pair = queue.poll();
      if (!seen.add(pair[0]) || pair[1] >= checkpoint.getNodesCount()) {
        continue;
      }
      TrackableObject ck = checkpoint.getNodes(pair[1]);
      ck.getAttributesList().stream().filter(a -> a.getName().equals("VARIABLE_VALUE")).findFirst()
          .ifPresent(a -> keys.put(pair[0], a.getCheckpointKey()));
      for (TrackableObject.ObjectReference child : objects.getNodes(pair[0]).getChildrenList()) {
        ck.getChildrenList().stream().filter(c -> c.getLocalName().equals(child.getLocalName())).findFirst()
            .ifPresent(c -> queue.add(new int[] {child.getNodeId(), c.getNodeId()}));
      }
    }
    return keys;
  }

  private static TrackableObjectGraph checkpointObjectGraph(Path directory) {
    try (Graph g = new Graph()) {
      var tf = org.tensorflow.op.Ops.create(g);
      var restored = tf.train.restore(tf.constant(variablesPrefix(directory)), tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("_CHECKPOINTABLE_OBJECT_GRAPH")),
          tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("")), List.of(TString.class));
      try (Session s = new Session(g); Result r = s.runner().fetch(restored.tensors().get(0)).run()) {
        byte[] bytes = ((TString) r.get(0)).asBytes().getObject();
        return TrackableObjectGraph.parseFrom(bytes);
      }
    } catch (org.tensorflow.exceptions.TensorFlowException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot read the object graph of the checkpoint in " + directory.resolve("variables")
          + ": " + firstLine(e.getMessage()) + " (is the variables/ folder complete?)", e);
    }
  }

  private static String variablesPrefix(Path directory) {
    return directory.resolve("variables").resolve("variables").toString();
  }

  /**
   * A graph that calls {@code function}: a Placeholder per input (named after it), a variable per captured variable
   * (filled by {@link #restore}), the captured constants, and the call node {@link #CALL}, with the library functions it
   * needs. Nothing else of the SavedModel comes along.
   */
  public static GraphDef callGraph(MetaGraphDef metaGraph, Function function) {
    GraphDef.Builder graph = GraphDef.newBuilder().setVersions(metaGraph.getGraphDef().getVersions());
    graph.setLibrary(neededFunctions(metaGraph.getGraphDef().getLibrary(), function.concreteFunction()));
    OpDef op = graph.getLibrary().getFunctionList().stream().filter(f -> f.getSignature().getName().equals(function.concreteFunction()))
        .findFirst().orElseThrow().getSignature();
    NodeDef.Builder call = NodeDef.newBuilder().setName(CALL).setOp("StatefulPartitionedCall");
    AttrValue.ListValue.Builder tin = AttrValue.ListValue.newBuilder();
    AttrValue.ListValue.Builder tout = AttrValue.ListValue.newBuilder();
    for (Arg in : function.inputs()) {
      NodeDef.Builder p = NodeDef.newBuilder().setName(in.name()).setOp("Placeholder").putAttr("dtype", AttrValue.newBuilder().setType(in.type()).build());
      if (in.shape() != null) {
        p.putAttr("shape", AttrValue.newBuilder().setShape(shapeProto(in.shape())).build());
      }
      graph.addNode(p);
      call.addInput(in.name());
    }
    NodeDef.Builder restore = NodeDef.newBuilder().setName(RESTORE).setOp("NoOp");
    List<Integer> variables = new ArrayList<>();
    for (int i = 0; i < function.captures().size(); i++) {
      if (function.captures().get(i).checkpointKey() != null) {
        variables.add(i);
      }
    }
    if (!variables.isEmpty()) {
      graph.addNode(NodeDef.newBuilder().setName(CHECKPOINT).setOp("Placeholder").putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build()));
      graph.addNode(stringConst(PREFIX + "keys", variables.stream().map(i -> function.captures().get(i).checkpointKey()).toList()));
      graph.addNode(stringConst(PREFIX + "slices", variables.stream().map(i -> "").toList()));
      AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
      variables.forEach(i -> dtypes.addType(function.captures().get(i).type()));
      graph.addNode(NodeDef.newBuilder().setName(PREFIX + "read_checkpoint").setOp("RestoreV2")
          .addInput(CHECKPOINT).addInput(PREFIX + "keys").addInput(PREFIX + "slices")
          .putAttr("dtypes", AttrValue.newBuilder().setList(dtypes).build()));
    }
    for (int i = 0; i < function.captures().size(); i++) {
      Capture c = function.captures().get(i);
      if (c.checkpointKey() != null) {
        String handle = PREFIX + "capture_" + i;
        NodeDef.Builder v = NodeDef.newBuilder().setName(handle).setOp("VarHandleOp")
            .putAttr("dtype", AttrValue.newBuilder().setType(c.type()).build())
            .putAttr("shared_name", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8(handle)).build());
        v.putAttr("shape", AttrValue.newBuilder().setShape(c.shape() == null ? TensorShapeProto.newBuilder().setUnknownRank(true).build() : shapeProto(c.shape())).build());
        graph.addNode(v);
        graph.addNode(NodeDef.newBuilder().setName(handle + "/assign").setOp("AssignVariableOp").addInput(handle)
            .addInput(PREFIX + "read_checkpoint:" + variables.indexOf(i)).putAttr("dtype", AttrValue.newBuilder().setType(c.type()).build()));
        restore.addInput("^" + handle + "/assign");
        call.addInput(handle);
      } else {
        NodeDef constant = metaGraph.getGraphDef().getNodeList().stream().filter(n -> n.getName().equals(c.constantNode())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("function '" + function.path() + "' captures constant '" + c.constantNode()
                + "', which is not in the SavedModel's graph"));
        String name = PREFIX + "constant_" + i;
        graph.addNode(constant.toBuilder().setName(name).clearInput());
        call.addInput(name);
      }
    }
    op.getInputArgList().forEach(a -> tin.addType(a.getType()));
    op.getOutputArgList().forEach(a -> tout.addType(a.getType()));
    call.putAttr("Tin", AttrValue.newBuilder().setList(tin).build())
        .putAttr("Tout", AttrValue.newBuilder().setList(tout).build())
        .putAttr("f", AttrValue.newBuilder().setFunc(org.tensorflow.proto.NameAttrList.newBuilder().setName(function.concreteFunction())).build());
    graph.addNode(restore);
    graph.addNode(call);
    return graph.build();
  }

  /** Fills the call graph's variables from the SavedModel's checkpoint (run once per session before calling). */
  public static void restore(Session session, Path directory, Function function) {
    if (function.captures().stream().noneMatch(c -> c.checkpointKey() != null)) {
      return;
    }
    try (Tensor prefix = TString.scalarOf(variablesPrefix(directory))) {
      session.runner().feed(CHECKPOINT, prefix).addTarget(RESTORE).run();
    }
  }

  /** The library functions {@code root} calls, transitively (a node's op or any function-valued attribute). */
  private static FunctionDefLibrary neededFunctions(FunctionDefLibrary library, String root) {
    Map<String, FunctionDef> byName = new HashMap<>();
    library.getFunctionList().forEach(f -> byName.put(f.getSignature().getName(), f));
    Set<String> needed = new java.util.LinkedHashSet<>();
    Deque<String> work = new ArrayDeque<>(List.of(root));
    while (!work.isEmpty()) {
      String name = work.poll();
      FunctionDef f = byName.get(name);
      if (f == null || !needed.add(name)) {
        continue;
      }
      for (NodeDef n : f.getNodeDefList()) {
        if (byName.containsKey(n.getOp())) {
          work.add(n.getOp());
        }
        n.getAttrMap().values().forEach(v -> {
          if (v.hasFunc()) {
            work.add(v.getFunc().getName());
          }
          v.getList().getFuncList().forEach(fn -> work.add(fn.getName()));
        });
      }
    }
    FunctionDefLibrary.Builder result = FunctionDefLibrary.newBuilder();
    needed.forEach(n -> result.addFunction(byName.get(n)));
    Set<String> kept = needed;
    library.getGradientList().stream().filter(g -> kept.contains(g.getFunctionName())).forEach(result::addGradient);
    return result.build();
  }

  private static NodeDef stringConst(String name, List<String> values) {
    org.tensorflow.proto.TensorProto.Builder t = org.tensorflow.proto.TensorProto.newBuilder().setDtype(DataType.DT_STRING)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.size())));
    values.forEach(v -> t.addStringVal(com.google.protobuf.ByteString.copyFromUtf8(v)));
    return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
  }

  private static TensorShapeProto shapeProto(long[] shape) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : shape) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** How to choose among {@code functions}, for messages: "predict (x: float32[-1,6]) -> output_0" lines. */
  public static String describe(Map<String, Function> functions) {
    List<String> lines = new ArrayList<>();
    functions.values().forEach(f -> lines.add(f.path() + "(" + String.join(", ", f.inputs().stream().map(SavedModelFunctions::describe).toList())
        + ") -> " + String.join(", ", f.outputs().stream().map(Arg::name).toList())));
    return String.join("; ", lines);
  }

  private static String describe(Arg a) {
    String type = TensorFlowRunner.typeName(a.type());
    return a.name() + ": " + type + (a.shape() == null ? "[?]" : java.util.Arrays.toString(a.shape()).replace(" ", ""));
  }
}
