package dev.tflite.convert.importer.loops;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.importer.loops.LoopValue.Tensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * TF1 while loops ({@code tf.compat.v1.while_loop}, {@code dynamic_rnn} with control flow v1): a frame of nodes between
 * {@code Enter} and {@code Exit}, with a {@code Merge}/{@code NextIteration} pair per loop variable and a
 * {@code LoopCond} deciding each iteration. The frame stands as one node in the graph's data order; unrolling binds
 * each Merge to the loop variable's current value, decides the condition in Java and copies the body once per
 * iteration (nodes renamed {@code <node>/iter_<k>}).
 */
final class V1Loops {
  static final String FRAME_OP = "__TfliteV1LoopFrame";

  private final LoopEvaluator loop;
  private final Map<String, List<NodeDef>> frames = new HashMap<>();

  V1Loops(LoopEvaluator loop) {
    this.loop = loop;
  }

  /** Data order of {@code nodes}, each while-loop frame replaced by one node that stands for all of it. */
  List<NodeDef> orderWithFrames(List<NodeDef> nodes) {
    if (nodes.stream().noneMatch(n -> n.getOp().equals("Enter"))) {
      return LoopEvaluator.topological(nodes, Map.of());
    }
    Map<String, List<String>> consumers = new HashMap<>();
    Map<String, NodeDef> byName = new LinkedHashMap<>();
    for (NodeDef n : nodes) {
      byName.put(n.getName(), n);
      TfGraph.dataInputs(n).forEach(in -> consumers.computeIfAbsent(in.node(), k -> new ArrayList<>()).add(n.getName()));
    }
    Map<String, Set<String>> members = new LinkedHashMap<>(); // frame name -> node names
    for (NodeDef n : nodes) {
      if (n.getOp().equals("Enter")) {
        members.computeIfAbsent(frameName(n), k -> new LinkedHashSet<>()).add(n.getName());
      }
    }
    Map<String, String> owner = new HashMap<>();
    for (Map.Entry<String, Set<String>> frame : members.entrySet()) {
      Deque<String> work = new ArrayDeque<>(frame.getValue());
      Set<String> inFrame = frame.getValue();
      while (!work.isEmpty()) {
        String name = work.poll();
        NodeDef n = byName.get(name);
        if (n.getOp().equals("Enter") && !frameName(n).equals(frame.getKey())) {
          throw new ConversionException("while loop '" + frame.getKey() + "' holds another loop ('" + frameName(n)
              + "'); nested TF1 while loops are not supported (build the inner loop with static_rnn or unroll it in Python)");
        }
        inFrame.add(name);
        if (!n.getOp().equals("Exit")) {
          for (String c : consumers.getOrDefault(name, List.of())) {
            if (!inFrame.contains(c)) {
              work.add(c);
              inFrame.add(c);
            }
          }
        }
      }
      String synthetic = "__frame__" + frame.getKey();
      inFrame.forEach(m -> owner.put(m, synthetic));
    }
    List<NodeDef> outer = new ArrayList<>();
    Map<String, Set<String>> frameInputs = new LinkedHashMap<>();
    for (NodeDef n : nodes) {
      String frame = owner.get(n.getName());
      if (frame == null) {
        outer.add(n);
        continue;
      }
      frames.computeIfAbsent(frame, k -> new ArrayList<>()).add(n);
      for (TensorName in : TfGraph.dataInputs(n)) {
        if (!frame.equals(owner.get(in.node()))) {
          frameInputs.computeIfAbsent(frame, k -> new LinkedHashSet<>()).add(in.toString());
        }
      }
    }
    for (String frame : frames.keySet()) {
      NodeDef.Builder b = NodeDef.newBuilder().setName(frame).setOp(FRAME_OP);
      frameInputs.getOrDefault(frame, Set.of()).forEach(b::addInput);
      outer.add(b.build());
    }
    Map<String, String> exitOwner = new HashMap<>(owner);
    return LoopEvaluator.topological(outer, exitOwner);
  }

  private static String frameName(NodeDef enter) {
    AttrValue f = enter.getAttrOrDefault("frame_name", null);
    return f == null ? "" : f.getS().toStringUtf8();
  }

  void unroll(NodeDef frameNode, boolean write) {
    List<NodeDef> frame = frames.get(frameNode.getName());
    String name = frameNode.getName().substring("__frame__".length());
    List<NodeDef> merges = new ArrayList<>();
    List<NodeDef> exits = new ArrayList<>();
    List<NodeDef> body = new ArrayList<>();
    Map<String, NodeDef> byName = new HashMap<>();
    NodeDef loopCond = null;
    for (NodeDef n : frame) {
      byName.put(n.getName(), n);
      switch (n.getOp()) {
        case "Merge" -> merges.add(n);
        case "Exit" -> exits.add(n);
        case "Enter" -> loop.bind(n.getName() + ":0", loop.value(TfGraph.dataInputs(n).get(0).toString()));
        case "NextIteration" -> { }
        case "LoopCond" -> {
          loopCond = n;
          body.add(n);
        }
        default -> body.add(n);
      }
    }
    if (loopCond == null) {
      throw new ConversionException("while loop '" + name + "' has no LoopCond node; the graph is not a complete TF1 while loop");
    }
    // For each Merge: the Enter giving its first value, the NextIteration giving the next one.
    List<String> initial = new ArrayList<>();
    List<String> next = new ArrayList<>();
    for (NodeDef m : merges) {
      String first = null;
      String again = null;
      for (TensorName in : TfGraph.dataInputs(m)) {
        NodeDef p = byName.get(in.node());
        if (p != null && p.getOp().equals("NextIteration")) {
          again = TfGraph.dataInputs(p).get(0).toString();
        } else {
          first = in.toString();
        }
      }
      if (first == null || again == null) {
        throw new ConversionException("Merge '" + m.getName() + "' of while loop '" + name
            + "' is not an Enter/NextIteration pair; only while loops (not tf.cond inside loops) are supported");
      }
      initial.add(first);
      next.add(again);
    }
    List<NodeDef> order = LoopEvaluator.topological(body, Map.of());
    Set<String> bodyNames = new HashSet<>();
    order.forEach(n -> bodyNames.add(n.getName()));
    List<LoopValue> vars = new ArrayList<>();
    initial.forEach(ref -> vars.add(loop.value(ref)));
    for (int k = 0; ; k++) {
      if (k >= LoopEvaluator.MAX_ITERATIONS) {
        throw new ConversionException("while loop '" + name + "' runs more than " + LoopEvaluator.MAX_ITERATIONS
            + " iterations; only loops over a sequence of fixed, moderate length can be unrolled into TensorFlow Lite builtins");
      }
      for (int m = 0; m < merges.size(); m++) {
        loop.bind(merges.get(m).getName() + ":0", vars.get(m));
      }
      String suffix = "/iter_" + k;
      for (NodeDef n : order) {
        NodeDef renamed = renamed(n, suffix, bodyNames);
        if (n.getOp().equals("Switch")) {
          LoopValue data = loop.value(renamed.getInput(0));
          loop.bind(renamed.getName() + ":0", data);
          loop.bind(renamed.getName() + ":1", data);
        } else {
          loop.step(renamed, write);
        }
        if (n == loopCond) {
          LoopValue go = loop.value(renamed.getName() + ":0");
          long decision = go instanceof Tensor t && t.known() != null && t.known().isScalar() ? t.known().scalarValue() : KnownInts.UNKNOWN;
          if (decision == KnownInts.UNKNOWN) {
            throw loop.unknownTripCount(name, "TF1 while_loop");
          }
          if (decision == 0) {
            finish(exits, byName, suffix, bodyNames);
            return;
          }
        }
      }
      List<LoopValue> updated = new ArrayList<>();
      for (String ref : next) {
        TensorName t = TensorName.parse(ref);
        updated.add(loop.value(bodyNames.contains(t.node()) ? t.node() + suffix + ":" + t.index() : ref));
      }
      vars.clear();
      vars.addAll(updated);
    }
  }

  /** An Exit reads its Switch's "false" output: the loop variable's value when the condition first fails. */
  private void finish(List<NodeDef> exits, Map<String, NodeDef> byName, String suffix, Set<String> bodyNames) {
    for (NodeDef exit : exits) {
      TensorName in = TfGraph.dataInputs(exit).get(0);
      NodeDef producer = byName.get(in.node());
      if (producer != null && producer.getOp().equals("Switch")) {
        in = TfGraph.dataInputs(producer).get(0); // the Switch of the failing iteration was never reached
      }
      String ref = bodyNames.contains(in.node()) ? in.node() + suffix + ":" + in.index() : in.toString();
      loop.bind(exit.getName() + ":0", loop.value(ref));
    }
  }

  private static NodeDef renamed(NodeDef n, String suffix, Set<String> bodyNames) {
    NodeDef.Builder b = n.toBuilder().setName(n.getName() + suffix).clearInput();
    for (TensorName in : TfGraph.dataInputs(n)) {
      b.addInput(bodyNames.contains(in.node()) ? in.node() + suffix + ":" + in.index() : in.toString());
    }
    return b.build();
  }
}
