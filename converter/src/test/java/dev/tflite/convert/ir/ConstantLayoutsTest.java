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

  /** Every permutation (the tiled 2-D path for block swaps, the general path otherwise) against index arithmetic. */
  @Test
  void everyPermutationMatchesIndexArithmetic() {
    long[] shape = {3, 5, 37, 33}; // not multiples of the 32-element tile
    float[] values = new float[3 * 5 * 37 * 33];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    TensorData data = TensorData.ofFloats(shape, values);
    for (int[] perm : permutations(new int[] {0, 1, 2, 3})) {
      float[] out = ConstantLayouts.transpose(data, perm).floats();
      long[] outShape = new long[4];
      for (int d = 0; d < 4; d++) {
        outShape[d] = shape[perm[d]];
      }
      int[] idx = new int[4];
      for (int o = 0; o < out.length; o++) {
        int rest = o;
        for (int d = 3; d >= 0; d--) {
          idx[d] = (int) (rest % outShape[d]);
          rest /= (int) outShape[d];
        }
        int[] in = new int[4];
        for (int d = 0; d < 4; d++) {
          in[perm[d]] = idx[d];
        }
        float expected = ((in[0] * 5 + in[1]) * 37 + in[2]) * 33 + in[3];
        if (out[o] != expected) {
          throw new AssertionError("perm " + java.util.Arrays.toString(perm) + " element " + o + ": " + out[o] + " != " + expected);
        }
      }
    }
    float[] matrix = ConstantLayouts.transpose(TensorData.ofFloats(new long[] {70, 45}, java.util.Arrays.copyOf(values, 70 * 45)), new int[] {1, 0}).floats();
    for (int r = 0; r < 70; r++) {
      for (int c = 0; c < 45; c++) {
        assertArrayEquals(new float[] {r * 45 + c}, new float[] {matrix[c * 70 + r]});
      }
    }
  }

  private static java.util.List<int[]> permutations(int[] items) {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    if (items.length == 1) {
      out.add(items.clone());
      return out;
    }
    for (int i = 0; i < items.length; i++) {
      int[] rest = new int[items.length - 1];
      for (int j = 0, k = 0; j < items.length; j++) {
        if (j != i) {
          rest[k++] = items[j];
        }
      }
      for (int[] p : permutations(rest)) {
        int[] full = new int[items.length];
        full[0] = items[i];
        System.arraycopy(p, 0, full, 1, p.length);
        out.add(full);
      }
    }
    return out;
  }

  @Test
  void int64ConstantsBecomeInt32() {
    TensorData wide = new TensorData(DType.INT64, new long[] {2}, new byte[] {5, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1});
    assertArrayEquals(new int[] {5, -1}, ConstantLayouts.toInt32(wide).ints());
  }
}
