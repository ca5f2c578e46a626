package dev.tflite.convert;

import dev.tflite.convert.quantize.QuantizationMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a conversion produced: the file, its size, the weight bytes before and after quantization, how many of each
 * TensorFlow Lite op it holds, how long each stage took (milliseconds, for logs only), the ops a full-integer mode
 * left in float (each "OP 'node' (reason)": kept by {@code <keepFloat>} or without an integer kernel in the target
 * runtime; empty when the model is fully integer), the {@code min_runtime_version} written into the file, and the
 * recurrent layers written unrolled rather than as a fused builtin, each "LSTM 'name' unrolled: reason".
 */
public record ConversionResult(
    String modelName,
    Path output,
    QuantizationMode quantization,
    String signatureKey,
    long sizeBytes,
    long floatWeightBytes,
    long storedWeightBytes,
    Map<String, Integer> opCounts,
    Map<String, Long> stageMillis,
    List<String> floatOps,
    String minRuntimeVersion,
    List<String> unrolledLayers) {

  public ConversionResult {
    floatOps = List.copyOf(floatOps);
    unrolledLayers = List.copyOf(unrolledLayers);
  }
}
