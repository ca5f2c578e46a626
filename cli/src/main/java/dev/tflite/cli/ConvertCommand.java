package dev.tflite.cli;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code convert}: one model to one .tflite, with the same options as the plugin's {@code <model>}. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = "Convert a SavedModel, frozen .pb or float .tflite to TensorFlow Lite.")
final class ConvertCommand implements Callable<Integer> {
  @Option(names = "--source", required = true, description = "SavedModel directory, frozen GraphDef .pb, or float32 .tflite")
  Path source;

  @Option(names = "--out", required = true, description = "the .tflite file to write")
  Path out;

  @Option(names = "--quantization", defaultValue = "dynamic-range",
      description = "none | dynamic-range | float16 | weight-only-int8 | int8 | int16x8 (default: ${DEFAULT-VALUE})")
  String quantization;

  @Option(names = "--signature", description = "SavedModel signature (default serving_default, or the only one)")
  String signature;

  @Option(names = "--tag", description = "MetaGraph tag (repeatable; default serve)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--input-shape", description = "name=1,224,224,3 for an input with unknown dimensions (repeatable)")
  List<String> inputShapes = new ArrayList<>();

  @Option(names = "--calibration-dir", description = "folder of .npy samples for int8/int16x8")
  Path calibrationDir;

  @Option(names = "--calibration-samples", defaultValue = "32")
  int calibrationSamples;

  @Option(names = "--calibration-range", defaultValue = "0,1", description = "min,max of random calibration inputs (default ${DEFAULT-VALUE})")
  String calibrationRange;

  @Option(names = "--input-type", defaultValue = "float", description = "float | int8 | uint8 (int8 mode)")
  String inputType;

  @Option(names = "--output-type", defaultValue = "float", description = "float | int8 | uint8 (int8 mode)")
  String outputType;

  @Option(names = "--per-tensor", description = "one weight scale per tensor instead of per channel")
  boolean perTensor;

  @Option(names = "--keep-float-op", description = "TensorFlow Lite op type to keep in float (repeatable)")
  List<String> keepFloatOps = new ArrayList<>();

  @Option(names = "--keep-float-node", description = "regular expression on TensorFlow node names to keep in float (repeatable)")
  List<String> keepFloatNodes = new ArrayList<>();

  @Option(names = "--integer-only", description = "fail instead of keeping ops without an integer kernel in float")
  boolean integerOnly;

  @Override
  public Integer call() {
    try {
      QuantizationMode mode = QuantizationMode.fromConfig(quantization);
      double[] range = Arrays.stream(calibrationRange.split(",")).mapToDouble(Double::parseDouble).toArray();
      QuantizationOptions options = new QuantizationOptions(!perTensor, IoType.fromConfig("input-type", inputType),
          IoType.fromConfig("output-type", outputType), Set.copyOf(keepFloatOps.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList()),
          keepFloatNodes.stream().map(Pattern::compile).toList(), integerOnly,
          new CalibrationSettings(calibrationDir, calibrationSamples, 1234, range[0], range[1]));
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (String s : inputShapes) {
        String[] parts = s.split("=", 2);
        shapes.put(parts[0], Arrays.stream(parts[1].split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray());
      }
      String name = out.getFileName().toString().replaceFirst("\\.tflite$", "");
      ConversionRequest request = new ConversionRequest(name, source, signature, tags.isEmpty() ? List.of("serve") : tags, mode, options, shapes, out);
      ConversionResult r = new TfliteConverter().convert(request);
      System.out.printf(Locale.ROOT, "%s: %s, %d bytes (weights %d -> %d bytes), ops %s%n", out, mode.configName(), r.sizeBytes(),
          r.floatWeightBytes(), r.storedWeightBytes(), r.opCounts());
      return 0;
    } catch (ConversionException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
