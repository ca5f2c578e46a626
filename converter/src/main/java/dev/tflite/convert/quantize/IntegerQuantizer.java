package dev.tflite.convert.quantize;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.ops.OpContract;
import dev.tflite.convert.ops.OpContracts;
import dev.tflite.convert.quantize.calibrate.TensorRanges;
import dev.tflite.convert.target.TargetRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Full-integer quantization (int8, or int16 activations with int8 weights) from calibrated ranges: every op with an
 * integer kernel runs in integer, so with float I/O the only float ops are the QUANTIZE at the inputs and the
 * DEQUANTIZE at the outputs. Ops the 2.6 runtime cannot run in integer, and ops the user keeps in float, stay float
 * with QUANTIZE/DEQUANTIZE around them and are recorded in the context (an integer-only request fails listing them
 * all). Tensors that integer kernels need on one scale (pooling, reshape, concatenation, maximum) share the union of
 * their ranges.
 */
final class IntegerQuantizer implements Quantizer {
  private final ActivationScheme scheme;

  IntegerQuantizer(ActivationScheme scheme) {
    this.scheme = scheme;
  }

  @Override
  public void quantize(Graph graph, QuantizationContext context) {
    QuantizationOptions options = context.options();
    Set<Operator> integerOps = chooseIntegerOps(graph, context);
    Map<Tensor, Quantization> params = activationParams(graph, integerOps, context);
    new Rewrite(graph, integerOps, params, options, context.target(), context.ranges()).run();
  }

  private Set<Operator> chooseIntegerOps(Graph graph, QuantizationContext context) {
    Set<Operator> integer = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<String, TreeSet<String>> floatOps = new TreeMap<>();
    for (Operator op : graph.operators()) {
      if (activations(op).isEmpty()) {
        continue; // boolean logic and index arithmetic: no float value to quantize, nothing kept in float
      }
      String reason = null;
      if (scheme.rule(op.type(), context.target()) == null) {
        reason = "no " + scheme.type().name().toLowerCase() + " kernel in the TensorFlow Lite 2.6 runtime";
      } else if (context.options().keepsFloat(op)) {
        reason = "kept in float by configuration";
      } else {
        for (Tensor t : activations(op)) {
          if (context.ranges().get(t) == null) {
            reason = "no calibration range for tensor '" + t.name() + "'";
          }
        }
      }
      if (reason == null) {
        integer.add(op);
      } else {
        floatOps.computeIfAbsent(op.type() + " (" + reason + ")", k -> new TreeSet<>()).add(op.origin());
        context.keptFloat(new QuantizationContext.FloatOp(op.type().name(), op.origin(), reason));
      }
    }
    if (context.options().integerOnly() && !floatOps.isEmpty()) {
      StringBuilder message = new StringBuilder("<integerOnly>true</integerOnly> was requested, but these ops cannot run in "
          + scheme.type().name().toLowerCase() + ":");
      floatOps.forEach((op, nodes) -> message.append("\n  ").append(op).append(": ").append(String.join(", ", nodes)));
      message.append("\nRemove them from the model, drop them from <keepFloat>, or allow float fallback (integerOnly=false).");
      throw new ConversionException(message.toString());
    }
    return integer;
  }

  /** The float activations an op reads and writes (constants and integer tensors such as shapes excluded). */
  private static List<Tensor> activations(Operator op) {
    List<Tensor> result = new ArrayList<>();
    for (Tensor t : op.inputs()) {
      if (t != null && !t.isConstant() && t.type() == DType.FLOAT32) {
        result.add(t);
      }
    }
    for (Tensor t : op.outputs()) {
      if (t.type() == DType.FLOAT32) {
        result.add(t);
      }
    }
    return result;
  }

  /** Per-tensor parameters for every float tensor an integer op touches, with shared-scale groups unified. */
  private Map<Tensor, Quantization> activationParams(Graph graph, Set<Operator> integerOps, QuantizationContext context) {
    TensorRanges ranges = context.ranges();
    Map<Tensor, Tensor> parent = new IdentityHashMap<>();
    Map<Tensor, ActivationScheme.OpRule> fixedBy = new IdentityHashMap<>();
    // constants MAXIMUM/MINIMUM compare against: they take the group's scale (saturated) and never set it, or a cap such
    // as 1e12 would stretch the shared scale over 1e12 and round every activation to the zero point
    Set<Tensor> clamped = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Operator op : graph.operators()) {
      if (!integerOps.contains(op)) {
        continue;
      }
      ActivationScheme.OpRule rule = scheme.rule(op.type(), context.target());
      if (OpContracts.of(op.type()).clampsConstants()) {
        op.inputs().stream().filter(t -> t != null && t.isConstant()).forEach(clamped::add);
      }
      for (Tensor t : op.inputs()) {
        if (t != null && t.type() == DType.FLOAT32) {
          parent.putIfAbsent(t, t);
        }
      }
      for (Tensor t : op.outputs()) {
        parent.putIfAbsent(t, t);
      }
      if (rule.output() == OpContract.OutputScale.SAME_AS_INPUTS) {
        for (int i = 0; i < op.inputs().size(); i++) {
          if (op.input(i) != null && op.input(i).type() == DType.FLOAT32) {
            union(parent, op.input(i), op.output(0));
          }
        }
      } else if (rule.output() == OpContract.OutputScale.SAME_AS_INPUT) {
        // the data operand is the first float input (SPLIT's comes after its axis); every output copies its raw values
        Tensor data = op.inputs().stream().filter(t -> t != null && t.type() == DType.FLOAT32).findFirst().orElse(null);
        if (data != null) {
          op.outputs().forEach(out -> union(parent, data, out));
        }
      } else if (rule.output() == OpContract.OutputScale.FIXED) {
        fixedBy.put(op.output(0), rule);
      }
    }
    // the integer sequence LSTM's output (its output state and hidden values): zero point 0, see SequenceLstmQuantization
    List<Tensor> symmetric = graph.operators().stream().filter(op -> integerOps.contains(op) && op.type() == OpType.UNIDIRECTIONAL_SEQUENCE_LSTM)
        .map(op -> op.output(0)).toList();
    Map<Tensor, double[]> groupRange = new IdentityHashMap<>();
    Map<Tensor, Quantization> groupFixed = new IdentityHashMap<>();
    for (Tensor t : parent.keySet()) {
      Tensor root = find(parent, t);
      double[] range = clamped.contains(t) ? null : rangeOf(t, ranges);
      if (range != null) {
        groupRange.merge(root, range, (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
      if (fixedBy.containsKey(t)) {
        groupFixed.put(root, scheme.fixed(fixedBy.get(t)));
      }
    }
    for (Tensor t : symmetric) {
      Tensor root = find(parent, t);
      double[] r = groupRange.get(root);
      if (r != null && !groupFixed.containsKey(root)) {
        groupFixed.put(root, SequenceLstmQuantization.symmetricInt8(r[0], r[1]));
      }
    }
    Map<Tensor, Quantization> params = new IdentityHashMap<>();
    for (Tensor t : parent.keySet()) {
      Tensor root = find(parent, t);
      Quantization q = groupFixed.get(root);
      if (q == null && groupRange.containsKey(root)) {
        double[] r = groupRange.get(root);
        q = scheme.paramsFor(r[0], r[1]);
      }
      if (q != null) {
        params.put(t, q);
      }
    }
    return params;
  }

  /** A constant's own value range (including 0), or an activation's calibrated range (null when there is none). */
  private static double[] rangeOf(Tensor t, TensorRanges ranges) {
    if (t.isConstant()) {
      float[] values = t.data().floats();
      double min = 0;
      double max = 0;
      for (float v : values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      return new double[] {min, max};
    }
    TensorRanges.Range r = ranges.get(t);
    return r == null ? null : new double[] {r.min(), r.max()};
  }

  private static Tensor find(Map<Tensor, Tensor> parent, Tensor t) {
    Tensor root = t;
    while (parent.get(root) != root) {
      root = parent.get(root);
    }
    return root;
  }

  private static void union(Map<Tensor, Tensor> parent, Tensor a, Tensor b) {
    parent.put(find(parent, a), find(parent, b));
  }

  /** Rewrites types and constants, and inserts the QUANTIZE/DEQUANTIZE boundary ops. */
  private final class Rewrite {
    private final Graph graph;
    private final Set<Operator> integerOps;
    private final Map<Tensor, Quantization> params;
    private final QuantizationOptions options;
    private final TargetRuntime target;
    private final TensorRanges ranges;
    private final Map<Tensor, Tensor> quantizedCopy = new IdentityHashMap<>();
    private final Map<Tensor, Tensor> floatCopy = new IdentityHashMap<>();

    Rewrite(Graph graph, Set<Operator> integerOps, Map<Tensor, Quantization> params, QuantizationOptions options, TargetRuntime target,
        TensorRanges ranges) {
      this.graph = graph;
      this.ranges = ranges;
      this.integerOps = integerOps;
      this.params = params;
      this.options = options;
      this.target = target;
    }

    void run() {
      retypeInputs();
      for (Operator op : List.copyOf(graph.operators())) {
        if (integerOps.contains(op) && op.type() == OpType.UNIDIRECTIONAL_SEQUENCE_LSTM) {
          SequenceLstmQuantization.rewrite(graph, op, t -> quantizedVersion(t, op), params.get(op.output(0)), ranges);
        } else if (integerOps.contains(op)) {
          rewriteIntegerOp(op);
        } else if (op.type() != OpType.QUANTIZE && op.type() != OpType.DEQUANTIZE) {
          for (int i = 0; i < op.inputs().size(); i++) {
            Tensor t = op.input(i);
            if (t != null && !t.isConstant() && isInteger(t.type())) {
              op.setInput(i, floatVersion(t, op));
            }
          }
        }
      }
      retypeOutputs();
    }

    /** Integer input types: the graph input itself becomes int8 (or uint8 with a requantizing QUANTIZE after it). */
    private void retypeInputs() {
      if (options.inputType() == IoType.FLOAT32) {
        return;
      }
      requireInt8Io("inputType", options.inputType());
      for (Tensor in : graph.inputs().values()) {
        Quantization q = params.get(in);
        if (q == null || in.type() != DType.FLOAT32) {
          continue;
        }
        if (options.inputType() == IoType.INT8) {
          in.retype(DType.INT8, q);
        } else {
          Tensor int8 = graph.newTensor(in.name() + "/int8", DType.INT8, in.shape(), in.origin());
          int8.retype(DType.INT8, q);
          int8.setSourceTensor(in.sourceTensor());
          int8.setDynamicDims(in.dynamicDims());
          graph.replaceUses(in, int8);
          in.retype(DType.UINT8, shiftToUint8(q));
          Operator requantize = new Operator(OpType.QUANTIZE, List.of(in), List.of(int8), new OpOptions.None(), in.origin());
          insertFirst(requantize);
        }
      }
    }

    private void retypeOutputs() {
      for (Map.Entry<String, Tensor> e : new LinkedHashMap<>(graph.outputs()).entrySet()) {
        Tensor out = e.getValue();
        if (!isInteger(out.type()) || out.isConstant()) {
          continue;
        }
        if (options.outputType() == IoType.FLOAT32) {
          Tensor f = graph.newTensor(out.name() + "/dequantize", DType.FLOAT32, out.shape(), out.origin());
          f.setSourceTensor(out.sourceTensor());
          f.setDynamicDims(out.dynamicDims());
          graph.addOperator(new Operator(OpType.DEQUANTIZE, List.of(out), List.of(f), new OpOptions.None(), out.origin()));
          graph.replaceOutput(out, f);
        } else if (options.outputType() == IoType.UINT8) {
          requireInt8Io("outputType", options.outputType());
          Tensor u = graph.newTensor(out.name() + "/uint8", DType.UINT8, out.shape(), out.origin());
          u.retype(DType.UINT8, shiftToUint8(out.quantization()));
          u.setDynamicDims(out.dynamicDims());
          graph.addOperator(new Operator(OpType.QUANTIZE, List.of(out), List.of(u), new OpOptions.None(), out.origin()));
          graph.replaceOutput(out, u);
        } else {
          requireInt8Io("outputType", options.outputType());
        }
      }
    }

    private void requireInt8Io(String element, IoType type) {
      if (scheme != ActivationScheme.INT8) {
        throw new ConversionException("<" + element + ">" + type.configName() + "</" + element + "> needs <quantization>int8</quantization>; "
            + "int16x8 models take and return float");
      }
    }

    private void rewriteIntegerOp(Operator op) {
      ActivationScheme.OpRule rule = scheme.rule(op.type(), target);
      if (scheme == ActivationScheme.INT16 && op.options() instanceof OpOptions.Add add) {
        op.setOptions(add.withGeneralInt16Scales());
      } else if (scheme == ActivationScheme.INT16 && op.options() instanceof OpOptions.Sub sub) {
        op.setOptions(sub.withGeneralInt16Scales());
      }
      Quantization weightQuantization = null;
      for (int i = 0; i < op.inputs().size(); i++) {
        Tensor t = op.input(i);
        if (t == null || (t.type() != DType.FLOAT32 && !isInteger(t.type()))) {
          continue;
        }
        if (t.isConstant()) {
          if (t.type() != DType.FLOAT32) {
            continue; // int32 shapes, axes and paddings stay as they are
          }
          if (i == rule.weightIndex()) {
            int axis = options.perChannel() ? rule.weightAxis() : -1;
            WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(t.data(), axis);
            weightQuantization = q.quantization();
            op.setInput(i, constant(t, q.data(), q.quantization()));
          } else if (i == rule.biasIndex()) {
            op.setInput(i, bias(t, op.input(rule.dataIndex()), weightQuantization));
          } else {
            double[] range = rangeOf(t, null);
            Quantization q = params.getOrDefault(t, scheme.paramsFor(range[0], range[1]));
            op.setInput(i, constant(t, QuantizedValues.encode(t.data(), q, scheme.type()), q));
          }
        } else if (t.type() == DType.FLOAT32) {
          op.setInput(i, quantizedVersion(t, op));
        } else if (t.type() == DType.UINT8) {
          op.setInput(i, quantizedVersion(t, op));
        }
      }
      for (Tensor out : op.outputs()) {
        if (out.type() == DType.FLOAT32) {
          out.retype(scheme.type(), params.get(out));
        }
      }
    }

    private Tensor bias(Tensor bias, Tensor input, Quantization weights) {
      float inputScale = input.quantization().scales()[0];
      float[] ws = weights.scales();
      // one scale for per-tensor weights: kernels read a per-tensor bias scale only when the tensor has exactly one
      int count = ws.length == 1 ? 1 : (int) bias.data().elementCount();
      float[] scales = new float[count];
      for (int c = 0; c < count; c++) {
        scales[c] = inputScale * ws[ws.length == 1 ? 0 : c];
      }
      Quantization q = new Quantization(scales, new long[count], 0);
      return constant(bias, QuantizedValues.encode(bias.data(), q, scheme.biasType()), q);
    }

    private Tensor constant(Tensor original, TensorData data, Quantization q) {
      Tensor t = graph.newConstant(original.name(), data, original.origin());
      t.setQuantization(q);
      return t;
    }

    private Tensor quantizedVersion(Tensor t, Operator consumer) {
      return quantizedCopy.computeIfAbsent(t, source -> {
        Quantization q = params.get(source);
        Tensor copy = graph.newTensor(source.name() + "/quantize", scheme.type(), source.shape(), source.origin());
        copy.retype(scheme.type(), source.type() == DType.UINT8 ? unshiftFromUint8(source.quantization()) : q);
        copy.setSourceTensor(source.sourceTensor());
        copy.setDynamicDims(source.dynamicDims());
        graph.insertBefore(consumer, new Operator(OpType.QUANTIZE, List.of(source), List.of(copy), new OpOptions.None(), source.origin()));
        return copy;
      });
    }

    private Tensor floatVersion(Tensor t, Operator consumer) {
      return floatCopy.computeIfAbsent(t, source -> {
        Tensor copy = graph.newTensor(source.name() + "/dequantize", DType.FLOAT32, source.shape(), source.origin());
        copy.setSourceTensor(source.sourceTensor());
        copy.setDynamicDims(source.dynamicDims());
        graph.insertBefore(consumer, new Operator(OpType.DEQUANTIZE, List.of(source), List.of(copy), new OpOptions.None(), source.origin()));
        return copy;
      });
    }

    private void insertFirst(Operator op) {
      if (graph.operators().isEmpty()) {
        graph.addOperator(op);
      } else {
        graph.insertBefore(graph.operators().get(0), op);
      }
    }
  }

  private static boolean isInteger(DType type) {
    return type == DType.INT8 || type == DType.INT16 || type == DType.UINT8;
  }

  private static Quantization shiftToUint8(Quantization q) {
    return new Quantization(q.scales(), new long[] {q.zeroPoints()[0] + 128}, 0);
  }

  private static Quantization unshiftFromUint8(Quantization q) {
    return new Quantization(q.scales(), new long[] {q.zeroPoints()[0] - 128}, 0);
  }
}
