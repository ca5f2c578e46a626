package dev.tflite.convert.ir;

import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.proto.DataType;

/** Element types the converter understands, with their TensorFlow and TensorFlow Lite codes. */
public enum DType {
  FLOAT32(4, DataType.DT_FLOAT, TensorType.FLOAT32),
  FLOAT16(2, DataType.DT_HALF, TensorType.FLOAT16),
  INT32(4, DataType.DT_INT32, TensorType.INT32),
  INT64(8, DataType.DT_INT64, TensorType.INT64),
  INT16(2, DataType.DT_INT16, TensorType.INT16),
  INT8(1, DataType.DT_INT8, TensorType.INT8),
  UINT8(1, DataType.DT_UINT8, TensorType.UINT8),
  BOOL(1, DataType.DT_BOOL, TensorType.BOOL);

  private final int byteSize;
  private final DataType tfType;
  private final byte tfliteType;

  DType(int byteSize, DataType tfType, byte tfliteType) {
    this.byteSize = byteSize;
    this.tfType = tfType;
    this.tfliteType = tfliteType;
  }

  public int byteSize() {
    return byteSize;
  }

  public DataType tfType() {
    return tfType;
  }

  public byte tfliteType() {
    return tfliteType;
  }

  /** The matching type, or null when TensorFlow Lite conversion does not support it (strings, resources, ...). */
  public static DType fromTensorFlow(DataType type) {
    for (DType d : values()) {
      if (d.tfType == type) {
        return d;
      }
    }
    return null;
  }
}
