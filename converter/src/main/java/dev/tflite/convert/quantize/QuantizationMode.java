package dev.tflite.convert.quantize;

import dev.tflite.convert.ConversionException;
import java.util.Arrays;
import java.util.function.Supplier;

/** The quantization modes offered in the POM ({@code <quantization>}), by their configuration names. */
public enum QuantizationMode {
  /** Float32 weights and activations. */
  NONE("none", () -> graph -> {}),
  /** The official converter's {@code OPTIMIZE_FOR_SIZE}: int8 weights, float activations, hybrid kernels. */
  DYNAMIC_RANGE("dynamic-range", DynamicRangeQuantizer::new);

  private final String configName;
  private final Supplier<Quantizer> quantizer;

  QuantizationMode(String configName, Supplier<Quantizer> quantizer) {
    this.configName = configName;
    this.quantizer = quantizer;
  }

  public String configName() {
    return configName;
  }

  public Quantizer quantizer() {
    return quantizer.get();
  }

  public static QuantizationMode fromConfig(String value) {
    for (QuantizationMode m : values()) {
      if (m.configName.equalsIgnoreCase(value.trim())) {
        return m;
      }
    }
    throw new ConversionException("<quantization>" + value + "</quantization> is not a quantization mode; choose one of "
        + Arrays.stream(values()).map(QuantizationMode::configName).toList());
  }
}
