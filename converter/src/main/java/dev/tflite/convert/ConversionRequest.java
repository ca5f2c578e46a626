package dev.tflite.convert;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.target.TargetRuntime;
import dev.tflite.convert.write.metadata.MetadataSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one conversion needs. {@code signature} may be null (then {@code serving_default}, or the only one);
 * {@code inputShapes} fixes unknown input dimensions per signature input name (unset ones become 1);
 * {@code targetRuntime} is the oldest TensorFlow Lite runtime the file must run in (default 2.6: a newer one lets
 * quantization use schemes only newer kernels have, see {@link TargetRuntime}); {@code metadata} (may be null) is
 * written into the file as TensorFlow Lite metadata with its associated files.
 */
public record ConversionRequest(
    String modelName,
    Path source,
    String signature,
    List<String> tags,
    QuantizationMode quantization,
    QuantizationOptions quantizationOptions,
    Map<String, long[]> inputShapes,
    Path output,
    TargetRuntime targetRuntime,
    MetadataSpec metadata) {

  public ConversionRequest {
    tags = List.copyOf(tags);
    inputShapes = new TreeMap<>(inputShapes);
    targetRuntime = targetRuntime == null ? TargetRuntime.DEFAULT : targetRuntime;
  }

  /** For the default target runtime, 2.6, without metadata. */
  public ConversionRequest(String modelName, Path source, String signature, List<String> tags, QuantizationMode quantization,
      QuantizationOptions quantizationOptions, Map<String, long[]> inputShapes, Path output) {
    this(modelName, source, signature, tags, quantization, quantizationOptions, inputShapes, output, TargetRuntime.DEFAULT, null);
  }

  /** Without metadata. */
  public ConversionRequest(String modelName, Path source, String signature, List<String> tags, QuantizationMode quantization,
      QuantizationOptions quantizationOptions, Map<String, long[]> inputShapes, Path output, TargetRuntime targetRuntime) {
    this(modelName, source, signature, tags, quantization, quantizationOptions, inputShapes, output, targetRuntime, null);
  }

  public static ConversionRequest of(String modelName, Path source, QuantizationMode quantization, Path output) {
    return new ConversionRequest(modelName, source, null, List.of("serve"), quantization, QuantizationOptions.defaults(), Map.of(), output);
  }

  public ConversionRequest withQuantization(QuantizationMode mode, QuantizationOptions options) {
    return new ConversionRequest(modelName, source, signature, tags, mode, options, inputShapes, output, targetRuntime, metadata);
  }

  public ConversionRequest withOutput(Path newOutput) {
    return new ConversionRequest(modelName, source, signature, tags, quantization, quantizationOptions, inputShapes, newOutput, targetRuntime, metadata);
  }

  /** The same conversion with unknown input dimensions set by input name (see {@code inputShapes} above). */
  public ConversionRequest withInputShapes(Map<String, long[]> shapes) {
    return new ConversionRequest(modelName, source, signature, tags, quantization, quantizationOptions, shapes, output, targetRuntime, metadata);
  }

  public ConversionRequest withTargetRuntime(TargetRuntime target) {
    return new ConversionRequest(modelName, source, signature, tags, quantization, quantizationOptions, inputShapes, output, target, metadata);
  }

  /** The same conversion, writing {@code spec} (or none, for null) as the file's TensorFlow Lite metadata. */
  public ConversionRequest withMetadata(MetadataSpec spec) {
    return new ConversionRequest(modelName, source, signature, tags, quantization, quantizationOptions, inputShapes, output, targetRuntime, spec);
  }
}
