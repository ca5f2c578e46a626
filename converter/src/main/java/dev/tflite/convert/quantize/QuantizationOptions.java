package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to quantize, beyond the mode: per-channel or per-tensor weights, the integer model's input and output types,
 * the layers to keep in float (by TensorFlow Lite op type, e.g. {@code SOFTMAX}, or by a regular expression on the
 * TensorFlow node name), whether a full-integer model may keep float ops at all, and the calibration data.
 */
public record QuantizationOptions(
    boolean perChannel,
    IoType inputType,
    IoType outputType,
    Set<String> keepFloatOpTypes,
    List<Pattern> keepFloatNodes,
    boolean integerOnly,
    CalibrationSettings calibration) {

  public QuantizationOptions {
    keepFloatOpTypes = Set.copyOf(keepFloatOpTypes);
    keepFloatNodes = List.copyOf(keepFloatNodes);
  }

  public static QuantizationOptions defaults() {
    return new QuantizationOptions(true, IoType.FLOAT32, IoType.FLOAT32, Set.of(), List.of(), false, CalibrationSettings.randomDefault());
  }

  public QuantizationOptions withCalibration(CalibrationSettings settings) {
    return new QuantizationOptions(perChannel, inputType, outputType, keepFloatOpTypes, keepFloatNodes, integerOnly, settings);
  }

  /** Whether the user asked to keep this operator in float. */
  public boolean keepsFloat(Operator op) {
    if (keepFloatOpTypes.contains(op.type().name())) {
      return true;
    }
    return keepFloatNodes.stream().anyMatch(p -> p.matcher(op.origin()).matches());
  }
}
