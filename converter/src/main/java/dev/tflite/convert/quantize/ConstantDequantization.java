package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.List;

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

  /** The float constants read by operators the user did not keep in float. */
  static List<Tensor> floatWeights(Graph graph, QuantizationOptions options, long minElements) {
    return graph.tensors().stream()
        .filter(t -> t.isConstant() && t.type() == DType.FLOAT32 && t.data().elementCount() >= minElements)
        .filter(t -> !graph.consumers(t).isEmpty() && graph.consumers(t).stream().noneMatch(options::keepsFloat))
        .toList();
  }
}
