package dev.tflite.convert.quantize;

import dev.tflite.convert.ConversionException;
import java.util.Arrays;
import java.util.function.Supplier;

/** The quantization modes offered in the POM ({@code <quantization>}), by their configuration names. */
public enum QuantizationMode {
  /** Float32 weights and activations. */
  NONE("none", false, () -> (graph, context) -> {}),
  /** The official converter's {@code OPTIMIZE_FOR_SIZE}: int8 weights, float activations, hybrid kernels. */
  DYNAMIC_RANGE("dynamic-range", false, DynamicRangeQuantizer::new),
  /** Float16 weights dequantized to float32 at load (for GPUs; half the size). */
  FLOAT16("float16", false, Float16Quantizer::new),
  /** Int8 weights dequantized to float32 at load; float kernels. */
  WEIGHT_ONLY_INT8("weight-only-int8", false, WeightOnlyInt8Quantizer::new),
  /** Full integer: int8 weights (per channel), int8 activations (per tensor), int32 bias; calibrated. */
  INT8("int8", true, () -> new IntegerQuantizer(ActivationScheme.INT8)),
  /** Int16 activations, int8 weights, int64 bias, where the 2.6 runtime has kernels; calibrated. */
  INT16X8("int16x8", true, () -> new IntegerQuantizer(ActivationScheme.INT16));

  private final String configName;
  private final boolean calibrated;
  private final Supplier<Quantizer> quantizer;

  QuantizationMode(String configName, boolean calibrated, Supplier<Quantizer> quantizer) {
    this.configName = configName;
    this.calibrated = calibrated;
    this.quantizer = quantizer;
  }

  public String configName() {
    return configName;
  }

  /** Whether the mode quantizes activations and so needs a representative dataset. */
  public boolean needsCalibration() {
    return calibrated;
  }

  public Quantizer quantizer() {
    return quantizer.get();
  }

  /** The names {@link #fromConfig} accepts. */
  public static java.util.List<String> choices() {
    return Arrays.stream(values()).map(QuantizationMode::configName).toList();
  }

  /** The mode named {@code value} (case-insensitive); the message names the value and the choices, not a setting. */
  public static QuantizationMode fromConfig(String value) {
    for (QuantizationMode m : values()) {
      if (m.configName.equalsIgnoreCase(value.trim())) {
        return m;
      }
    }
    throw new ConversionException("'" + value + "' is not a quantization mode; choose one of " + choices());
  }
}
