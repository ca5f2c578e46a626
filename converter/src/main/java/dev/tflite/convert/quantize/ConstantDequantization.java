package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores a float constant in a smaller type and adds a DEQUANTIZE that restores float32 at load time (the kernel
 * evaluates it once, since its input is constant). The DEQUANTIZE ops go first in execution order, as the official
 * converter writes them.
 */
final class ConstantDequantization {
  private int inserted;

  /** Replaces the float constant {@code weights} by {@code stored} plus a DEQUANTIZE, for every reader. */
  void store(Graph graph, Tensor weights, TensorData stored, Quantization quantization) {
    Tensor dequantized = graph.newTensor(weights.name() + "/dequantize", DType.FLOAT32, weights.shape(), weights.origin());
    graph.replaceUses(weights, dequantized);
    weights.setData(stored);
    weights.setQuantization(quantization);
    Operator dequantize = new Operator(OpType.DEQUANTIZE, List.of(weights), List.of(dequantized), new OpOptions.None(), weights.origin());
    if (graph.operators().isEmpty()) {
      graph.addOperator(dequantize);
    } else {
      graph.insertBefore(graph.operators().get(inserted), dequantize);
    }
    inserted++;
  }

  /**
   * The float constants read by operators the user did not keep in float, equal ones merged into one tensor first: an
   * unrolled recurrent layer reads its kernels once per step, each read its own tensor, and without the merge every
   * copy would get its own DEQUANTIZE (the writer shares their bytes, not the ops), making float16 files larger than
   * float32 ones.
   */
  static List<Tensor> floatWeights(Graph graph, QuantizationOptions options, long minElements) {
    List<Tensor> candidates = graph.tensors().stream()
        .filter(t -> t.isConstant() && t.type() == DType.FLOAT32 && t.data().elementCount() >= minElements)
        .filter(t -> !graph.isGraphOutput(t))
        .filter(t -> !graph.consumers(t).isEmpty() && graph.consumers(t).stream().noneMatch(options::keepsFloat))
        .toList();
    return mergeEqual(graph, candidates);
  }

  private static List<Tensor> mergeEqual(Graph graph, List<Tensor> candidates) {
    Map<List<Object>, Tensor> firstOfContent = new HashMap<>();
    List<Tensor> kept = new ArrayList<>();
    Set<Tensor> merged = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor t : candidates) {
      List<Object> content = List.of(Arrays.stream(t.shape()).boxed().toList(), t.data().view());
      Tensor first = firstOfContent.putIfAbsent(content, t);
      if (first == null) {
        kept.add(t);
      } else {
        graph.replaceUses(t, first);
        merged.add(t);
      }
    }
    if (!merged.isEmpty()) {
      Set<Tensor> live = Collections.newSetFromMap(new IdentityHashMap<>());
      graph.tensors().stream().filter(t -> !merged.contains(t)).forEach(live::add);
      graph.retainTensors(live);
    }
    return kept;
  }
}
