package dev.tflite.convert.quantize;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import java.util.Arrays;

/** The type of an integer model's inputs and outputs ({@code <inputType>}, {@code <outputType>}). */
public enum IoType {
  FLOAT32("float", DType.FLOAT32),
  INT8("int8", DType.INT8),
  UINT8("uint8", DType.UINT8);

  private final String configName;
  private final DType type;

  IoType(String configName, DType type) {
    this.configName = configName;
    this.type = type;
  }

  public String configName() {
    return configName;
  }

  public DType type() {
    return type;
  }

  /** The type named {@code value}; the message names the value and the choices, not a setting. */
  public static IoType fromConfig(String value) {
    for (IoType t : values()) {
      if (t.configName.equalsIgnoreCase(value.trim()) || t.name().equalsIgnoreCase(value.trim())) {
        return t;
      }
    }
    throw new ConversionException("'" + value + "' is not a type; choose one of " + Arrays.stream(values()).map(IoType::configName).toList());
  }
}
