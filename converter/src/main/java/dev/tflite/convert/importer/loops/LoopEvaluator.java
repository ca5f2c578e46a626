package dev.tflite.convert.importer.loops;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.importer.FunctionInliner;
import dev.tflite.convert.importer.loops.LoopValue.ArrayHandle;
import dev.tflite.convert.importer.loops.LoopValue.Tensor;
import dev.tflite.convert.importer.loops.LoopValue.TensorList;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.NodeDef;

/**
 * Walks a graph in data order, writing out the nodes it keeps and working out what loops need: a functional
 * {@code While} runs its condition in Java and its body is inlined once per iteration; tensor lists live only here
 * (their slots are graph tensors); small integers are computed so loop conditions and list indices are known.
 */
final class LoopEvaluator {
  /** More iterations than this is not a recurrent layer over a sequence but a loop the file should not unroll. */
  static final int MAX_ITERATIONS = 10_000;
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "Snapshot", "StopGradient");
  private static final int MAX_NESTING = 16;

  /** How to fix an open sequence length for this model's inputs, for the messages. */
  private final String inputShapesHint;
  private final FunctionDefLibrary library;
  private final Map<String, FunctionDef> functions = new HashMap<>();
  /** Shapes TensorFlow inferred for the graph outside loop bodies ("node:i" -> dims, -1 unknown). */
  private final Map<String, long[]> shapes;
  private final Map<String, LoopValue> env = new HashMap<>();
  private final List<NodeDef> emitted = new ArrayList<>();
  /** One read per variable, however many iterations read it: the weights are stored once. */
  private final Map<String, String> variableReads = new HashMap<>();
  private final TensorListOps lists = new TensorListOps(this);
  private final V1Loops v1Loops = new V1Loops(this);
  private int loopDepth;

  LoopEvaluator(String inputShapesHint, FunctionDefLibrary library, Map<String, long[]> shapes) {
    this.inputShapesHint = inputShapesHint;
    this.library = library;
    this.shapes = shapes;
    library.getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
  }

  List<NodeDef> emitted() {
    return emitted;
  }

  LoopValue value(String ref) {
    String normal = TensorName.parse(ref).toString();
    LoopValue v = env.get(normal);
    return v != null ? v : new Tensor(normal, null);
  }

  void bind(String ref, LoopValue value) {
    env.put(TensorName.parse(ref).toString(), value);
  }

  long[] shapeOf(String ref) {
    LoopValue v = value(ref);
    return v instanceof Tensor t ? shapes.get(t.ref()) : null;
  }

  void emit(NodeDef node) {
    emitted.add(node);
  }

  /** Evaluates {@code nodes} (inputs may refer to tensors bound earlier); with {@code write} false nothing is written out. */
  void run(List<NodeDef> nodes, boolean write) {
    for (NodeDef node : v1Loops.orderWithFrames(nodes)) {
      step(node, write);
    }
  }

  void step(NodeDef node, boolean write) {
    String op = node.getOp();
    if (op.equals(V1Loops.FRAME_OP)) {
      v1Loops.unroll(node, write);
    } else if (op.equals("While") || op.equals("StatelessWhile")) {
      unrollWhile(node, write);
    } else if (lists.handles(op)) {
      lists.apply(node, write);
    } else if (PASS_THROUGH.contains(op) || op.equals("IdentityN")) {
      passThrough(node, write);
    } else {
      ordinary(node, write);
    }
  }

  private void passThrough(NodeDef node, boolean write) {
    List<TensorName> in = TfGraph.dataInputs(node);
    boolean symbolic = in.stream().anyMatch(t -> !(value(t.toString()) instanceof Tensor));
    if (!symbolic && !op(node).equals("IdentityN")) {
      ordinary(node, write);
      return;
    }
    for (int i = 0; i < (op(node).equals("IdentityN") ? in.size() : 1); i++) {
      bind(node.getName() + ":" + i, value(in.get(i).toString()));
    }
  }

  private static String op(NodeDef node) {
    return node.getOp();
  }

  /** A node that stays in the graph, reading the tensors its inputs stand for now. */
  private void ordinary(NodeDef node, boolean write) {
    List<TensorName> in = TfGraph.dataInputs(node);
    List<KnownInts> known = new ArrayList<>();
    NodeDef.Builder b = node.toBuilder().clearInput();
    for (TensorName t : in) {
      LoopValue v = value(t.toString());
      if (!(v instanceof Tensor tensor)) {
        throw new ConversionException("node '" + node.getName() + "' (" + node.getOp() + ") reads the "
            + (v instanceof ArrayHandle ? "tensor array" : "tensor list") + " '" + t + "' in a way the loop unroller does not know;"
            + " only TensorList*/TensorArray*V3 ops may use it (convert the model with its recurrent layers written with tf.keras layers)");
      }
      known.add(tensor.known());
      b.addInput(tensor.ref());
    }
    if (node.getOp().equals("ReadVariableOp") && !in.isEmpty()) {
      String handle = b.getInput(0);
      String first = variableReads.get(handle);
      if (first != null) {
        bind(node.getName() + ":0", new Tensor(first, null));
        return;
      }
      if (write) {
        variableReads.put(handle, node.getName() + ":0");
      }
    }
    KnownInts value = IntegerEvaluation.evaluate(node, known, i -> i < b.getInputCount() ? shapes.get(TensorName.parse(b.getInput(i)).toString()) : null);
    if (value != null) {
      bind(node.getName() + ":0", new Tensor(node.getName() + ":0", value));
    }
    if (write) {
      emit(b.build());
    }
  }

  /** A functional loop: its condition is evaluated in Java before each iteration, its body inlined each time. */
  private void unrollWhile(NodeDef node, boolean write) {
    if (++loopDepth > MAX_NESTING) {
      throw new ConversionException("loop '" + node.getName() + "' nests more than " + MAX_NESTING + " loops deep (a loop whose body runs itself?)");
    }
    FunctionDef cond = function(node, "cond");
    FunctionDef body = function(node, "body");
    List<LoopValue> vars = new ArrayList<>();
    TfGraph.dataInputs(node).forEach(t -> vars.add(value(t.toString())));
    List<LoopValue> current = vars;
    for (int k = 0; ; k++) {
      if (k >= MAX_ITERATIONS) {
        throw new ConversionException("loop '" + node.getName() + "' runs more than " + MAX_ITERATIONS
            + " iterations; only loops over a sequence of fixed, moderate length can be unrolled into TensorFlow Lite builtins");
      }
      LoopValue go = call(cond, node.getName() + "/cond_" + k, current, false).get(0);
      long decision = go instanceof Tensor t && t.known() != null && t.known().isScalar() ? t.known().scalarValue() : KnownInts.UNKNOWN;
      if (decision == KnownInts.UNKNOWN) {
        throw unknownTripCount(node.getName(), node.getOp());
      }
      if (decision == 0) {
        break;
      }
      current = call(body, node.getName() + "/iter_" + k, current, write);
    }
    for (int i = 0; i < current.size(); i++) {
      bind(node.getName() + ":" + i, current.get(i));
    }
    loopDepth--;
  }

  ConversionException unknownTripCount(String loop, String op) {
    return new ConversionException("the number of iterations of loop '" + loop + "' (" + op + ", a recurrent layer or"
        + " tf.while_loop) is not known before the model runs: it depends on an input dimension the model leaves open"
        + " (the sequence length). TensorFlow Lite builtins need it fixed: set <inputShapes> with the sequence length"
        + " (e.g. <inputShapes><x>1,50,8</x></inputShapes>; the CLI: --input-shape x=1,50,8), or export the model with"
        + " a fixed-length input");
  }

  private FunctionDef function(NodeDef node, String attr) {
    String name = node.getAttrOrThrow(attr).getFunc().getName();
    FunctionDef f = functions.get(name);
    if (f == null) {
      throw new ConversionException("loop '" + node.getName() + "' names " + attr + " function '" + name
          + "', which is missing from the function library; re-export the model");
    }
    return f;
  }

  /** Inlines {@code function} under {@code prefix} with its arguments bound to {@code args}; returns what it returns. */
  private List<LoopValue> call(FunctionDef function, String prefix, List<LoopValue> args, boolean write) {
    if (args.size() != function.getSignature().getInputArgCount()) {
      throw new ConversionException("loop function '" + function.getSignature().getName() + "' takes "
          + function.getSignature().getInputArgCount() + " arguments but the loop passes " + args.size());
    }
    NodeDef.Builder callNode = NodeDef.newBuilder().setName(prefix).setOp(function.getSignature().getName());
    for (int j = 0; j < args.size(); j++) {
      String token = prefix + "/__argument_" + j + ":0";
      bind(token, args.get(j));
      callNode.addInput(token);
    }
    Map<String, String> aliases = new HashMap<>();
    List<NodeDef> inlined = FunctionInliner.inline(List.of(callNode.build()), library, aliases);
    run(inlined, write);
    List<LoopValue> results = new ArrayList<>();
    for (int i = 0; i < function.getSignature().getOutputArgCount(); i++) {
      results.add(value(aliases.get(prefix + ":" + i)));
    }
    return results;
  }

  /** Data order within {@code nodes}; inputs from outside the list are taken as available. */
  static List<NodeDef> topological(List<NodeDef> nodes, Map<String, String> owner) {
    Map<String, NodeDef> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.getName(), n));
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> consumers = new HashMap<>();
    for (NodeDef n : nodes) {
      int count = 0;
      for (TensorName in : TfGraph.dataInputs(n)) {
        String producer = owner.getOrDefault(in.node(), in.node());
        if (byName.containsKey(producer) && !producer.equals(n.getName())) {
          consumers.computeIfAbsent(producer, k -> new ArrayList<>()).add(n.getName());
          count++;
        }
      }
      pending.put(n.getName(), count);
    }
    Deque<String> ready = new ArrayDeque<>();
    nodes.stream().filter(n -> pending.get(n.getName()) == 0).forEach(n -> ready.add(n.getName()));
    List<NodeDef> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String name = ready.poll();
      order.add(byName.get(name));
      for (String c : consumers.getOrDefault(name, List.of())) {
        if (pending.merge(c, -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    if (order.size() != nodes.size()) {
      List<String> stuck = nodes.stream().map(NodeDef::getName).filter(n -> pending.get(n) > 0).sorted().limit(10).toList();
      throw new ConversionException("the graph has a cycle through nodes " + stuck
          + " that is not a TF1 while loop (Enter/Merge/Switch/NextIteration/Exit) the converter can unroll");
    }
    return order;
  }
}
