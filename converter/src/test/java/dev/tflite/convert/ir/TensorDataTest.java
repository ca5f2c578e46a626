package dev.tflite.convert.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorDataTest {
  @Test
  void aViewReadsTheRemainingBytesOfItsSourceInPlace() {
    ByteBuffer source = ByteBuffer.allocate(4 + 12).order(ByteOrder.LITTLE_ENDIAN);
    source.putInt(99).putFloat(1.5f).putFloat(-2f).putFloat(3.25f).flip();
    source.position(4); // the contents start after a header
    TensorData view = TensorData.viewOf(DType.FLOAT32, new long[] {3}, source);
    assertEquals(12, view.byteSize());
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, view.floats());
    assertArrayEquals(TensorData.ofFloats(new long[] {3}, new float[] {1.5f, -2f, 3.25f}).bytes(), view.bytes());
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, view.reshaped(new long[] {1, 3}).floats());
    assertEquals(4, source.position(), "reading a view leaves its source alone");
  }

  @Test
  void aViewMustHoldExactlyTheShapesBytes() {
    assertThrows(IllegalArgumentException.class, () -> TensorData.viewOf(DType.FLOAT32, new long[] {2}, ByteBuffer.allocate(12)));
  }

  @Test
  void transposingAViewMatchesTransposingItsBytes() {
    float[] values = new float[6 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    TensorData array = TensorData.ofFloats(new long[] {6, 5}, values);
    TensorData view = TensorData.viewOf(DType.FLOAT32, new long[] {6, 5}, ByteBuffer.wrap(array.bytes()));
    assertArrayEquals(ConstantLayouts.transpose(array, new int[] {1, 0}).bytes(), ConstantLayouts.transpose(view, new int[] {1, 0}).bytes());
  }

  @Test
  void anArrayIsExclusiveOnlyWhenNoOtherDataSharesIt() {
    TensorData data = TensorData.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4});
    TensorData other = TensorData.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4});
    assertSame(data.bytes(), data.exclusiveArray(java.util.List.of(data, other)));
    TensorData reshaped = data.reshaped(new long[] {4}); // shares the array
    assertNull(data.exclusiveArray(java.util.List.of(data, reshaped)));
    TensorData view = TensorData.viewOf(DType.FLOAT32, new long[] {4}, ByteBuffer.wrap(other.bytes()));
    assertNull(view.exclusiveArray(java.util.List.of(view)), "a view is never written");
  }
}
