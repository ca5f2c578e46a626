package dev.tflite.convert.tf.recurrent;

import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.Composites;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfTensors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * LSTM and simple-RNN layers that reach us unrolled, one cell per step (a Keras SavedModel's While loop after the
 * importer unrolled it, TF1 {@code static_rnn} / {@code dynamic_rnn} over BasicLSTMCell or LSTMBlockCell, hand-written
 * cells and {@code tf.while_loop} recurrences), marked as the fused composites ({@link Composites#KERAS_LSTM},
 * {@link Composites#KERAS_SIMPLE_RNN}), so that legalization writes one UNIDIRECTIONAL_SEQUENCE_LSTM / _RNN for them
 * as it does for a Keras file's layer (and the official converter for a Keras LSTM), and the modes that unroll keep
 * the steps. The mark's input is the layer's [batch, steps, features] input (the
 * tensor the steps were unstacked from where there is one), its result the steps' h stacked on axis 1; consumers of
 * a step's h read that step of the result, a stack of every h in order reads the result itself. The steps stay in the
 * graph: TensorFlow runs them as the reference, and their cell states stacked are the int8 kernel's calibration.
 *
 * <p>A chain is left unrolled, with an {@code unrolled} mark that names it and why, when its steps differ, its first
 * step does not start from zeros (an initial state), something outside the layer reads an LSTM's cell state (the
 * fused kernel keeps c inside), its steps are masked, or its inputs depend on its outputs. Graphs from the Keras
 * importer are skipped: it marks its layers itself.
 */
public final class UnrolledRecurrentLayers {
  private UnrolledRecurrentLayers() {}

  public static TfGraph mark(TfGraph graph) {
    if (graph.nodes().stream().anyMatch(Composites::isMarker)) {
      return graph;
    }
    GraphIndex g = new GraphIndex(graph);
    List<StepChain> chains = new ArrayList<>();
    List<Unfused> unfused = new ArrayList<>();
    Set<String> lstmNodes = lstms(g, chains, unfused);
    simpleRnns(g, lstmNodes, chains, unfused);
    if (chains.isEmpty() && unfused.isEmpty()) {
      return graph;
    }
    // layers are marked in graph order (of their first steps), so a layer reading another's steps follows it
    Map<String, Integer> position = new HashMap<>();
    for (NodeDef n : graph.nodes()) {
      position.put(n.getName(), position.size());
    }
    chains.sort(java.util.Comparator.comparingInt(c -> position.get(c.steps().get(0).firstReader())));
    return new Rewrite(g, chains, unfused).graph();
  }

  /** The LSTM layers (chained through their cell states); returns the names of every LSTM step's nodes. */
  private static Set<String> lstms(GraphIndex g, List<StepChain> chains, List<Unfused> unfused) {
    List<LstmStep> steps = new ArrayList<>();
    for (NodeDef n : g.graph().nodes()) {
      if (n.getOp().equals("Split") || n.getOp().equals("SplitV")) {
        LstmStep step = LstmStep.match(g, n);
        if (step != null) {
          steps.add(step);
        }
      }
    }
    Map<String, List<LstmStep>> byCellRead = new HashMap<>();
    steps.forEach(s -> byCellRead.computeIfAbsent(s.cPrev(), k -> new ArrayList<>()).add(s));
    Set<String> cellStates = new HashSet<>();
    steps.forEach(s -> cellStates.add(s.c()));
    for (LstmStep head : steps) {
      if (cellStates.contains(head.cPrev())) {
        continue; // not a first step
      }
      List<LstmStep> chain = new ArrayList<>(List.of(head));
      for (List<LstmStep> next = byCellRead.get(head.c()); next != null && next.size() == 1; next = byCellRead.get(next.get(0).c())) {
        chain.add(next.get(0));
      }
      StepChain resolved = g.isZeros(head.cPrev()) ? StepChain.resolve(g, chain) : null;
      // Keras masking: each step's state is a Select between the new and the previous one
      boolean masked = isSelect(g.producer(head.cPrev()))
          || chain.stream().anyMatch(s -> g.consumers(s.c()).stream().anyMatch(UnrolledRecurrentLayers::isSelect));
      String reason = masked ? "its steps are masked (a masked step keeps the previous state; the fused kernel runs every step)"
          : !g.isZeros(head.cPrev()) ? "it starts from an initial state (the fused kernel starts from zeroed states)"
          : resolved == null ? "its steps are not one cell with shared weights"
          : !cellStatesStayInside(g, chain, resolved.nodes()) ? "its cell state is read outside the layer (the fused kernel keeps it inside)"
          : inputsFollowOutputs(g, resolved) ? "its inputs are computed from its outputs"
          : null;
      if (reason == null) {
        chains.add(resolved);
      } else {
        unfused.add(new Unfused(chain, reason));
      }
    }
    Set<String> nodes = new HashSet<>();
    steps.forEach(s -> nodes.addAll(s.nodes()));
    return nodes;
  }

  /**
   * The simple-RNN layers: a first step reads zeros as one of its operands, each next step reads the step before's
   * output through the same weights (a stacked layer reading the same output has other weights).
   */
  private static void simpleRnns(GraphIndex g, Set<String> lstmNodes, List<StepChain> chains, List<Unfused> unfused) {
    List<RnnStep> steps = new ArrayList<>();
    for (NodeDef n : g.graph().nodes()) {
      RnnStep step = lstmNodes.contains(n.getName()) ? null : RnnStep.match(g, n);
      if (step != null) {
        steps.add(step);
      }
    }
    Map<String, List<RnnStep>> readers = new HashMap<>();
    for (RnnStep s : steps) {
      s.products().stream().flatMap(p -> p.operands().stream()).distinct().forEach(o -> readers.computeIfAbsent(o, k -> new ArrayList<>()).add(s));
    }
    Set<RnnStep> used = new HashSet<>();
    for (RnnStep head : steps) {
      if (used.contains(head) || head.products().stream().flatMap(p -> p.operands().stream()).noneMatch(g::isZeros)) {
        continue;
      }
      List<RnnStep> chain = new ArrayList<>(List.of(head));
      for (RnnStep current = head; ; ) {
        RnnStep from = current;
        List<RnnStep> next = readers.getOrDefault(from.h(), List.of()).stream()
            .filter(s -> !used.contains(s) && !chain.contains(s) && sameCell(s, from)).toList();
        if (next.size() != 1) {
          break;
        }
        chain.add(next.get(0));
        current = next.get(0);
      }
      used.addAll(chain);
      StepChain resolved = StepChain.resolve(g, chain);
      String reason = resolved == null ? "its steps are not one cell with shared weights"
          : inputsFollowOutputs(g, resolved) ? "its inputs are computed from its outputs"
          : null;
      if (reason == null) {
        chains.add(resolved);
      } else if (chain.size() > 1) { // a lone step that is no RNN's is not worth a note
        unfused.add(new Unfused(chain, reason));
      }
    }
  }

  private static boolean isSelect(NodeDef n) {
    return n != null && (n.getOp().equals("Select") || n.getOp().equals("SelectV2"));
  }

  /** Whether two steps compute with the same weights and constants. */
  private static boolean sameCell(RnnStep a, RnnStep b) {
    if (a.products().size() != b.products().size() || !java.util.Arrays.equals(a.bias(), b.bias())) {
      return false;
    }
    for (int i = 0; i < a.products().size(); i++) {
      if (!java.util.Arrays.equals(a.products().get(i).weights().floats(), b.products().get(i).weights().floats())) {
        return false;
      }
    }
    return true;
  }

  /** Steps of a layer left unrolled, and why: the conversion result names them. */
  private record Unfused(List<? extends RecurrentStep> steps, String reason) {
    String kind() {
      return steps.get(0) instanceof LstmStep ? "LSTM" : "SimpleRNN";
    }
  }

  /** Whether only the layer reads each step's cell state (the next step, and the step's own output activation). */
  private static boolean cellStatesStayInside(GraphIndex g, List<LstmStep> steps, Set<String> inside) {
    for (LstmStep s : steps) {
      if (g.isGraphOutput(s.c()) || g.consumers(s.c()).stream().anyMatch(n -> !inside.contains(n.getName()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a step's input depends on the layer's outputs (a decoder feeding its output back): no sequence op computes that. */
  private static boolean inputsFollowOutputs(GraphIndex g, StepChain chain) {
    Set<String> inputs = new HashSet<>();
    chain.inputs().forEach(x -> inputs.add(TensorName.parse(x).node()));
    Set<String> seen = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    chain.steps().forEach(s -> pending.add(s.h()));
    while (!pending.isEmpty()) {
      String tensor = pending.poll();
      for (NodeDef reader : g.consumers(tensor)) {
        if (inputs.contains(reader.getName())) {
          return true;
        }
        if (seen.add(reader.getName())) {
          for (int i = 0; i < Math.max(1, outputCount(reader)); i++) {
            pending.add(reader.getName() + ":" + i);
          }
        }
      }
    }
    return false;
  }

  /** How many outputs a node may have that anything reads (enough for Split and Unpack; others have one). */
  private static int outputCount(NodeDef n) {
    if (n.containsAttr("num_split")) {
      return (int) n.getAttrOrThrow("num_split").getI();
    }
    return n.containsAttr("num") ? (int) n.getAttrOrThrow("num").getI() : 1;
  }

  /** The graph with each chain's mark and its readers rewired. */
  private static final class Rewrite {
    private final GraphIndex g;
    private final List<NodeDef> added = new ArrayList<>();
    /** A step's h, by tensor, to what its readers outside the layer read instead. */
    private final Map<String, String> replacedOutputs = new HashMap<>();
    /** Stacks of a whole layer's h, by node name, to the node standing in for them. */
    private final Map<String, NodeDef> replacedStacks = new HashMap<>();
    /** The nodes of the fused layers' steps: they keep reading the steps' own outputs. */
    private final Set<String> stepNodes = new HashSet<>();
    private final Set<String> names = new HashSet<>();

    /** Inputs of single nodes read from elsewhere, by node name: an unfused layer's first step reads its note's mark. */
    private final Map<String, Map<String, String>> inputOverrides = new HashMap<>();
    /** The layers and reasons already noted. */
    private final Set<String> noted = new HashSet<>();

    Rewrite(GraphIndex g, List<StepChain> chains, List<Unfused> unfused) {
      this.g = g;
      g.graph().nodes().forEach(n -> names.add(n.getName()));
      chains.forEach(chain -> stepNodes.addAll(chain.nodes()));
      chains.forEach(this::markLayer); // in graph order: a layer reading an earlier one's steps finds them replaced
      unfused.forEach(this::markUnfused);
    }

    /**
     * An {@code unrolled} mark on the first step's gates (a pass-through legalization notes with the reason): where
     * the layer's steps run, so the note appears exactly when the layer is in the file.
     */
    private void markUnfused(Unfused layer) {
      if (!noted.add(layerName(layer.steps()) + "\n" + layer.reason())) {
        return; // a masked layer's steps are each a chain of their own: one note says it
      }
      RecurrentStep first = layer.steps().get(0);
      String name = unique(layerName(layer.steps()) + "/unrolled_" + layer.kind().toLowerCase(java.util.Locale.ROOT));
      AttrValue.ListValue types = AttrValue.ListValue.newBuilder().addType(DataType.DT_FLOAT).addType(DataType.DT_FLOAT).build();
      added.add(NodeDef.newBuilder().setName(name).setOp("IdentityN").addInput(first.preActivations()).addInput(first.preActivations())
          .putAttr("T", AttrValue.newBuilder().setList(types).build())
          .putAttr(Composites.KIND, string(Composites.UNROLLED))
          .putAttr(Composites.LAYER, string(layer.kind() + " '" + layerName(layer.steps()) + "'"))
          .putAttr(Composites.REASON, string(layer.reason()))
          .build());
      inputOverrides.put(first.firstReader(), Map.of(first.preActivations(), name + ":" + Composites.RESULT));
    }

    TfGraph graph() {
      List<NodeDef> nodes = new ArrayList<>();
      for (NodeDef n : g.graph().nodes()) {
        NodeDef stack = replacedStacks.get(n.getName());
        if (stack != null) {
          nodes.add(stack);
          continue;
        }
        boolean inLayer = stepNodes.contains(n.getName());
        Map<String, String> overrides = inputOverrides.getOrDefault(n.getName(), Map.of());
        NodeDef.Builder b = n.toBuilder().clearInput();
        for (String in : n.getInputList()) {
          String tensor = TensorName.isControl(in) ? in : TensorName.parse(in).toString();
          String replaced = overrides.containsKey(tensor) ? overrides.get(tensor)
              : inLayer || TensorName.isControl(in) ? null : replacedOutputs.get(tensor);
          b.addInput(replaced != null ? replaced : in);
        }
        nodes.add(b.build());
      }
      nodes.addAll(added);
      List<SignatureTensor> outputs = g.graph().outputs().stream()
          .map(o -> {
            String replaced = replacedOutputs.get(o.tensor().toString());
            return replaced != null ? o.withTensor(TensorName.parse(replaced)) : o;
          })
          .toList();
      return g.graph().rebuilt(nodes, g.graph().inputs(), outputs);
    }

    /** Adds the chain's mark and records what its outputs' readers read; returns the mark's result tensor. */
    private String markLayer(StepChain chain) {
      boolean lstm = chain.isLstm();
      String layer = layerName(chain.steps());
      String prefix = unique(layer + (lstm ? "/fused_lstm" : "/fused_rnn"));
      int steps = chain.steps().size();
      int units = chain.units();
      long width = (long) chain.gates() * units;
      Source source = source(chain, prefix);
      List<String> hs = chain.steps().stream().map(RecurrentStep::h).toList();
      List<String> operands = new ArrayList<>(List.of(source.tensor, pack(prefix + "/sequence", hs, 1),
          constant(prefix + "/kernel", new long[] {chain.features(), width}, chain.kernel()),
          constant(prefix + "/recurrent_kernel", new long[] {units, width}, chain.recurrent()),
          constant(prefix + "/bias", new long[] {width}, chain.bias())));
      if (lstm) { // the int8 kernel's cell state is calibrated from these in TensorFlow
        operands.add(pack(prefix + "/cell_states", chain.steps().stream().map(s -> ((LstmStep) s).c()).toList(), 1));
      }
      AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
      operands.forEach(o -> types.addType(DataType.DT_FLOAT));
      NodeDef.Builder mark = NodeDef.newBuilder().setName(prefix).setOp("IdentityN").addAllInput(operands)
          .putAttr("T", AttrValue.newBuilder().setList(types).build())
          .putAttr(Composites.KIND, string(lstm ? Composites.KERAS_LSTM : Composites.KERAS_SIMPLE_RNN))
          .putAttr(Composites.LAYER, string((lstm ? "LSTM '" : "SimpleRNN '") + layer + "'"))
          .putAttr(Composites.ACTIVATION, string(chain.steps().get(0).activation()))
          .putAttr(Composites.GO_BACKWARDS, AttrValue.newBuilder().setB(source.backwards).build());
      if (lstm) {
        mark.putAttr(Composites.CELL_STATES, AttrValue.newBuilder().setI(operands.size() - 1).build());
      }
      added.add(mark.build());
      String result = prefix + ":" + Composites.RESULT;
      Set<String> inside = chain.nodes();
      for (int t = 0; t < steps; t++) {
        String h = hs.get(t);
        for (NodeDef reader : g.consumers(h)) {
          if (!inside.contains(reader.getName()) && isStackOf(reader, hs) && !replacedStacks.containsKey(reader.getName())) {
            replacedStacks.put(reader.getName(), standIn(reader, result));
          }
        }
        if (g.isGraphOutput(h) || g.consumers(h).stream().anyMatch(r -> !inside.contains(r.getName()) && !replacedStacks.containsKey(r.getName()))) {
          replacedOutputs.put(h, step(prefix + "/step_" + t, result, t));
        }
      }
      return result;
    }

    /** Where the steps' inputs come from: one tensor unstacked in order (or reversed, go_backwards), else a stack of them. */
    private record Source(String tensor, boolean backwards) {}

    private Source source(StepChain chain, String prefix) {
      List<String> xs = chain.inputs();
      int n = xs.size();
      NodeDef unpack = g.producer(xs.get(0));
      boolean oneUnpack = unpack != null && unpack.getOp().equals("Unpack") && unpack.getAttrOrThrow("num").getI() == n;
      boolean forward = oneUnpack;
      boolean backward = oneUnpack;
      for (int t = 0; t < n && oneUnpack; t++) {
        TensorName x = TensorName.parse(xs.get(t));
        oneUnpack = x.node().equals(unpack.getName());
        forward &= x.index() == t;
        backward &= x.index() == n - 1 - t;
      }
      if (oneUnpack && (forward || backward)) {
        long axis = unpack.getAttrOrThrow("axis").getI();
        String unstacked = GraphIndex.input(unpack, 0);
        boolean reversed = backward && !forward;
        if (axis == 1) {
          return new Source(unstacked, reversed);
        }
        if (axis == 0) {
          NodeDef reverse = g.producer(unstacked);
          TensorData reverseAxis = reverse != null && reverse.getOp().equals("ReverseV2") ? g.constant(GraphIndex.input(reverse, 1)) : null;
          if (reverseAxis != null && reverseAxis.elementCount() == 1 && reverseAxis.longs()[0] == 0) {
            unstacked = GraphIndex.input(reverse, 0); // Keras' go_backwards reverses the time-major input
            reversed = !reversed;
          }
          NodeDef transpose = g.producer(unstacked);
          TensorData perm = transpose != null && transpose.getOp().equals("Transpose") ? g.constant(GraphIndex.input(transpose, 1)) : null;
          if (perm != null && java.util.Arrays.equals(perm.longs(), new long[] {1, 0, 2})) {
            return new Source(GraphIndex.input(transpose, 0), reversed);
          }
          return new Source(transpose(prefix + "/batch_major", unstacked), reversed);
        }
      }
      Source sliced = slicedSteps(xs);
      if (sliced != null) {
        return sliced;
      }
      // inputs that are another fused layer's steps in order read its result; any others are stacked
      List<String> read = xs.stream().map(x -> replacedOutputs.getOrDefault(x, x)).toList();
      return new Source(pack(prefix + "/input", read, 1), false);
    }

    /** Steps read as {@code x[:, t, :]} of one [batch, steps, features] tensor, every step once in order or reversed; else null. */
    private Source slicedSteps(List<String> xs) {
      int n = xs.size();
      String source = null;
      boolean forward = true;
      boolean backward = true;
      for (int t = 0; t < n; t++) {
        NodeDef slice = g.producer(xs.get(t));
        if (slice == null || !slice.getOp().equals("StridedSlice") || TfGraph.dataInputs(slice).size() != 4) {
          return null;
        }
        TensorData begin = g.constant(GraphIndex.input(slice, 1));
        TensorData strides = g.constant(GraphIndex.input(slice, 3));
        boolean timeStep = begin != null && strides != null && begin.elementCount() == 3
            && java.util.Arrays.equals(strides.longs(), new long[] {1, 1, 1}) && mask(slice, "shrink_axis_mask") == 2
            && (mask(slice, "begin_mask") & 5) == 5 && (mask(slice, "end_mask") & 5) == 5
            && mask(slice, "ellipsis_mask") == 0 && mask(slice, "new_axis_mask") == 0;
        String sliced = GraphIndex.input(slice, 0);
        if (!timeStep || (source != null && !source.equals(sliced)) || (mask(slice, "begin_mask") & 2) != 0) {
          return null;
        }
        source = sliced;
        long step = begin.longs()[1] < 0 ? begin.longs()[1] + n : begin.longs()[1];
        forward &= step == t;
        backward &= step == n - 1 - t;
      }
      if (!(forward || backward)) {
        return null;
      }
      // the fused op reads every step of its input: a source longer than the steps read is cut to them
      String whole = source;
      boolean known = g.graph().inputs().stream().anyMatch(in -> in.tensor().toString().equals(whole) && in.shape() != null
          && in.shape().length == 3 && in.shape()[1] == n);
      return new Source(known ? source : firstSteps(source, n), !forward);
    }

    /** source[:, :n, :]. */
    private String firstSteps(String source, int n) {
      return timeSlice(TensorName.parse(source).node() + "/first_steps", source, 0, n, false);
    }

    private static long mask(NodeDef n, String attr) {
      return n.containsAttr(attr) ? n.getAttrOrThrow(attr).getI() : 0;
    }

    /** Whether {@code n} stacks exactly these steps' h in order, on axis 0 (time-major) or 1. */
    private static boolean isStackOf(NodeDef n, List<String> hs) {
      if (!n.getOp().equals("Pack")) {
        return false;
      }
      long axis = n.getAttrOrThrow("axis").getI();
      return (axis == 0 || axis == 1) && TfGraph.dataInputs(n).stream().map(TensorName::toString).toList().equals(hs);
    }

    /** What a stack of every h becomes: the result (batch-major), or the result transposed to time-major. */
    private NodeDef standIn(NodeDef stack, String result) {
      if (stack.getAttrOrThrow("axis").getI() == 1) {
        return NodeDef.newBuilder().setName(stack.getName()).setOp("Identity").addInput(result).putAttr("T", type()).build();
      }
      String perm = constantInts(unique(stack.getName() + "/perm"), new int[] {1, 0, 2});
      return NodeDef.newBuilder().setName(stack.getName()).setOp("Transpose").addInput(result).addInput(perm)
          .putAttr("T", type()).putAttr("Tperm", AttrValue.newBuilder().setType(DataType.DT_INT32).build()).build();
    }

    /** result[:, t, :]. */
    private String step(String name, String result, int t) {
      return timeSlice(name, result, t, t + 1, true);
    }

    /** tensor[:, from:to, :], the time axis shrunk when {@code shrink} (then {@code to} is {@code from + 1}). */
    private String timeSlice(String name, String tensor, int from, int to, boolean shrink) {
      String node = unique(name);
      String begin = constantInts(unique(node + "/begin"), new int[] {0, from, 0});
      String end = constantInts(unique(node + "/end"), new int[] {0, to, 0});
      String strides = constantInts(unique(node + "/strides"), new int[] {1, 1, 1});
      added.add(NodeDef.newBuilder().setName(node).setOp("StridedSlice").addInput(tensor).addInput(begin).addInput(end).addInput(strides)
          .putAttr("T", type()).putAttr("Index", AttrValue.newBuilder().setType(DataType.DT_INT32).build())
          .putAttr("begin_mask", integer(5)).putAttr("end_mask", integer(5)).putAttr("ellipsis_mask", integer(0))
          .putAttr("new_axis_mask", integer(0)).putAttr("shrink_axis_mask", integer(shrink ? 2 : 0)).build());
      return node + ":0";
    }

    private String transpose(String name, String tensor) {
      String node = unique(name);
      String perm = constantInts(unique(node + "/perm"), new int[] {1, 0, 2});
      added.add(NodeDef.newBuilder().setName(node).setOp("Transpose").addInput(tensor).addInput(perm)
          .putAttr("T", type()).putAttr("Tperm", AttrValue.newBuilder().setType(DataType.DT_INT32).build()).build());
      return node + ":0";
    }

    private String pack(String name, List<String> tensors, int axis) {
      String node = unique(name);
      added.add(NodeDef.newBuilder().setName(node).setOp("Pack").addAllInput(tensors)
          .putAttr("N", integer(tensors.size())).putAttr("T", type()).putAttr("axis", integer(axis)).build());
      return node + ":0";
    }

    private String constant(String name, long[] shape, float[] values) {
      String node = unique(name);
      added.add(TfTensors.constNode(node, TensorData.ofFloats(shape, values)));
      return node + ":0";
    }

    private String constantInts(String name, int[] values) {
      added.add(TfTensors.constNode(name, TensorData.ofInts(new long[] {values.length}, values)));
      return name + ":0";
    }

    private String unique(String name) {
      String candidate = name;
      for (int i = 1; !names.add(candidate); i++) {
        candidate = name + "_" + i;
      }
      return candidate;
    }

    private static AttrValue type() {
      return AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
    }

    private static AttrValue integer(long v) {
      return AttrValue.newBuilder().setI(v).build();
    }

    private static AttrValue string(String s) {
      return AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8(s)).build();
    }
  }

  /**
   * The layer's name as its nodes' common scope: what the steps' names share, without the loop's and the function
   * call's wrappers ({@code StatefulPartitionedCall/…/lstm_1/while/iter_0/…} → {@code …/lstm_1}).
   */
  static String layerName(List<? extends RecurrentStep> steps) {
    String first = withoutCallWrappers(representative(steps.get(0)));
    String last = withoutCallWrappers(representative(steps.get(steps.size() - 1)));
    int common = 0;
    while (common < Math.min(first.length(), last.length()) && first.charAt(common) == last.charAt(common)) {
      common++;
    }
    String scope = steps.size() == 1 ? first : first.substring(0, common);
    scope = scope.contains("/") ? scope.substring(0, scope.lastIndexOf('/')) : scope;
    if (scope.contains("/while/")) {
      scope = scope.substring(0, scope.indexOf("/while/"));
    }
    if (scope.endsWith("/while")) {
      scope = scope.substring(0, scope.length() - "/while".length());
    }
    return scope.isEmpty() ? first : scope;
  }

  /** A node name without the function calls a SavedModel's graph was inlined from ({@code StatefulPartitionedCall_1/…}). */
  private static String withoutCallWrappers(String name) {
    String result = name;
    while (result.matches("^(Stateful)?PartitionedCall(_\\d+)?/.*")) {
      result = result.substring(result.indexOf('/') + 1);
    }
    return result;
  }

  /** A step's name: its output's node's. */
  private static String representative(RecurrentStep step) {
    return TensorName.parse(step.h()).node();
  }
}
