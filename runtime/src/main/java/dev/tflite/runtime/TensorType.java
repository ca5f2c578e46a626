package dev.tflite.runtime;

/** Element type of a TensorFlow Lite tensor, decoded from the runtime's {@code TfLiteType} code. */
public enum TensorType {
  FLOAT32(1), INT32(2), UINT8(3), INT64(4), STRING(5), BOOL(6), INT16(7), INT8(9), FLOAT16(10), FLOAT64(11), OTHER(-1);

  private final int code;

  TensorType(int code) {
    this.code = code;
  }

  /** As reports and specs spell it: {@code float32}, {@code uint8}, … */
  public String lowerName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static TensorType of(int code) {
    for (TensorType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return OTHER;
  }
}
