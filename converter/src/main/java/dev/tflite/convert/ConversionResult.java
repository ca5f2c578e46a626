package dev.tflite.convert;

import dev.tflite.convert.quantize.QuantizationMode;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a conversion produced: the file, its size, the weight bytes before and after quantization, how many of each
 * TensorFlow Lite op it holds, and how long each stage took (milliseconds, for logs only).
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
    Map<String, Long> stageMillis) {}
