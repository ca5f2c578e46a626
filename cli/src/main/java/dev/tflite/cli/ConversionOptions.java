package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the model is read and converted: the options of a POM {@code <model>} that conversion uses. */
final class ConversionOptions {
  @Option(names = "--source", required = true,
      description = "the original: SavedModel directory, frozen GraphDef .pb, Keras .h5/.keras file, or float32 .tflite")
  Path source;

  @Option(names = "--quantization", description = "none | dynamic-range | float16 | weight-only-int8 | int8 | int16x8 (default: dynamic-range)")
  String quantization;

  @Option(names = "--signature", description = "SavedModel signature, or the object path of a @tf.function (e.g. predict, encoder.call) when the signature map lacks it (default serving_default, or the only one)")
  String signature;

  @Option(names = "--tag", description = "MetaGraph tag (repeatable; default serve)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--input-shape", description = "name=1,224,224,3 for an input with unknown dimensions (repeatable)")
  List<String> inputShapes = new ArrayList<>();

  @Option(names = "--calibration-dir", description = "folder of .npy samples for int8/int16x8")
  Path calibrationDir;

  @Option(names = "--calibration-samples", defaultValue = "32")
  int calibrationSamples;

  @Option(names = "--calibration-range", description = "min,max of random calibration inputs (default 0,1)")
  String calibrationRange;

  @Option(names = "--input-type", description = "float | int8 | uint8 (int8 mode; default float)")
  String inputType;

  @Option(names = "--output-type", description = "float | int8 | uint8 (int8 mode; default float)")
  String outputType;

  @Option(names = "--per-tensor", description = "one weight scale per tensor instead of per channel")
  boolean perTensor;

  @Option(names = "--keep-float-op", description = "TensorFlow Lite op type to keep in float (repeatable)")
  List<String> keepFloatOps = new ArrayList<>();

  @Option(names = "--keep-float-node", description = "regular expression on TensorFlow node names to keep in float (repeatable)")
  List<String> keepFloatNodes = new ArrayList<>();

  @Option(names = "--integer-only", description = "fail instead of keeping ops without an integer kernel in float")
  boolean integerOnly;

  @Option(names = "--target-runtime", description = "oldest TensorFlow Lite runtime the file must run in: 2.6 (default) to 2.18; "
      + "2.18 writes per-channel int8 Dense weights")
  String targetRuntime;

  /** Fills the conversion part of {@code spec} for a model written to {@code out} (named after the file). */
  void applyTo(ModelSpec spec, Path out) {
    spec.name = PipelineRun.modelName(out);
    spec.output = out;
    spec.source = source;
    spec.quantization = quantization;
    spec.signature = signature;
    spec.tags = tags;
    Map<String, String> shapes = new LinkedHashMap<>();
    for (String s : inputShapes) {
      String[] parts = s.split("=", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("--input-shape " + s + ": write name=1,224,224,3");
      }
      shapes.put(parts[0], parts[1]);
    }
    spec.inputShapes = shapes;
    if (calibrationDir != null || calibrationRange != null || calibrationSamples != 32) {
      spec.calibration = new ModelSpec.Calibration(calibrationDir, calibrationSamples, 1234,
          calibrationRange == null ? null : Ranges.parse("--calibration-range", calibrationRange));
    }
    spec.inputType = inputType;
    spec.outputType = outputType;
    spec.perChannel = !perTensor;
    spec.keepFloatOpTypes = keepFloatOps;
    spec.keepFloatNodes = keepFloatNodes;
    spec.integerOnly = integerOnly;
    spec.targetRuntime = targetRuntime;
  }
}
