package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;

/**
 * Weights of at least 1024 elements become symmetric int8 with a DEQUANTIZE to float32; every kernel stays float.
 * Per tensor: the 2.6 runtime's DEQUANTIZE reads a single scale.
 */
final class WeightOnlyInt8Quantizer implements Quantizer {
  @Override
  public void quantize(Graph graph, QuantizationContext context) {
    ConstantDequantization dequantization = new ConstantDequantization();
    for (Tensor weights : ConstantDequantization.floatWeights(graph, context.options(), DynamicRangeQuantizer.MIN_ELEMENTS)) {
      if (graph.consumers(weights).stream().map(Operator::type).anyMatch(t -> t == OpType.PRELU)) {
        continue; // PRELU's alpha is broadcast state, not a weight matrix
      }
      WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(weights.data(), -1);
      dequantization.store(graph, weights, q.data(), q.quantization());
    }
  }
}
