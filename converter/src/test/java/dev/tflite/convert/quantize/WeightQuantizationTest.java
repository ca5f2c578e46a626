package dev.tflite.convert.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightQuantizationTest {
  @Test
  void perChannelSymmetricInt8RoundTripsWithinHalfAStep() {
    SplittableRandom random = new SplittableRandom(3);
    long[] shape = {4, 3, 3, 5}; // OHWI, channel axis 0
    float[] w = new float[180];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * (1 + i / 45)); // each channel a different range
    }
    WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(TensorData.ofFloats(shape, w), 0);
    assertEquals(DType.INT8, q.data().type());
    assertEquals(4, q.quantization().scales().length);
    byte[] bytes = q.data().bytes();
    for (int i = 0; i < w.length; i++) {
      float scale = q.quantization().scales()[i / 45];
      assertTrue(bytes[i] >= -127, "int8 symmetric range excludes -128");
      assertTrue(Math.abs(bytes[i] * scale - w[i]) <= scale / 2 + 1e-6, "element " + i);
    }
    for (long zp : q.quantization().zeroPoints()) {
      assertEquals(0, zp);
    }
  }

  @Test
  void perTensorUsesOneScaleAndZeroWeightsGetAPositiveScale() {
    WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(TensorData.ofFloats(new long[] {2, 2}, new float[] {0, 0, 0, 0}), -1);
    assertEquals(1, q.quantization().scales().length);
    assertTrue(q.quantization().scales()[0] > 0);
  }

  @Test
  void unknownModeListsTheChoices() {
    ConversionException e = assertThrows(ConversionException.class, () -> QuantizationMode.fromConfig("int4"));
    assertEquals("'int4' is not a quantization mode; choose one of [none, dynamic-range, float16, weight-only-int8, int8, int16x8]", e.getMessage());
  }
}
