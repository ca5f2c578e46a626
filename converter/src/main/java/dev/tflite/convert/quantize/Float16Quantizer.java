package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;

/** Every float32 constant becomes float16 with a DEQUANTIZE to float32, as the official converter's float16 mode. */
final class Float16Quantizer implements Quantizer {
  @Override
  public void quantize(Graph graph, QuantizationContext context) {
    ConstantDequantization dequantization = new ConstantDequantization();
    for (Tensor weights : ConstantDequantization.floatWeights(graph, context.options(), 1)) {
      float[] values = weights.data().floats();
      byte[] bytes = new byte[values.length * 2];
      for (int i = 0; i < values.length; i++) {
        short h = Half.fromFloat(values[i]);
        bytes[2 * i] = (byte) h;
        bytes[2 * i + 1] = (byte) (h >> 8);
      }
      dequantization.store(graph, weights, new TensorData(DType.FLOAT16, weights.shape(), bytes), null);
    }
  }
}
