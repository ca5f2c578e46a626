package dev.tflite.convert.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ConstantLayoutsTest {
  @Test
  void transposeHwioToOhwiMovesEveryElement() {
    // HWIO [2,2,3,4]: value encodes its own index h*1000 + w*100 + i*10 + o.
    long[] shape = {2, 2, 3, 4};
    float[] values = new float[48];
    for (int h = 0; h < 2; h++) for (int w = 0; w < 2; w++) for (int i = 0; i < 3; i++) for (int o = 0; o < 4; o++) {
      values[((h * 2 + w) * 3 + i) * 4 + o] = h * 1000 + w * 100 + i * 10 + o;
    }
    TensorData ohwi = ConstantLayouts.transpose(TensorData.ofFloats(shape, values), new int[] {3, 0, 1, 2});
    assertArrayEquals(new long[] {4, 2, 2, 3}, ohwi.shape());
    float[] out = ohwi.floats();
    for (int o = 0; o < 4; o++) for (int h = 0; h < 2; h++) for (int w = 0; w < 2; w++) for (int i = 0; i < 3; i++) {
      assertArrayEquals(new float[] {h * 1000 + w * 100 + i * 10 + o}, new float[] {out[((o * 2 + h) * 2 + w) * 3 + i]});
    }
  }

  @Test
  void int64ConstantsBecomeInt32() {
    TensorData wide = new TensorData(DType.INT64, new long[] {2}, new byte[] {5, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1});
    assertArrayEquals(new int[] {5, -1}, ConstantLayouts.toInt32(wide).ints());
  }
}
