package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code validate}: any .tflite against its original (a SavedModel, frozen .pb, Keras file or .tflite), with the
 * plugin's reports and exit code 1 on drift.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Compare a .tflite with its original and write the drift report.")
final class ValidateCommand implements Callable<Integer> {
  @Option(names = "--source", required = true,
      description = "the original: SavedModel directory, frozen .pb, Keras .h5/.keras file, or a .tflite")
  Path source;

  @Option(names = "--tflite", required = true, description = "the converted model")
  Path tflite;

  @Option(names = "--name", description = "model name in the report (default: the .tflite file name)")
  String name;

  @Option(names = "--quantization",
      description = "the mode the file was made with: names it in the report and picks the default tolerance (default: dynamic-range)")
  String quantization;

  @Option(names = "--signature", description = "SavedModel signature of the original, or the object path of a @tf.function (default: the one the .tflite names, serving_default, or the only one)")
  String signature;

  @Option(names = "--tag", description = "MetaGraph tag (repeatable; default serve)")
  List<String> tags = new ArrayList<>();

  @Mixin
  ValidationSettings validation;

  @Override
  public Integer call() {
    ModelSpec spec = new ModelSpec();
    return PipelineRun.execute(spec, () -> {
      spec.name = name != null ? name : PipelineRun.modelName(tflite);
      spec.source = source;
      spec.output = tflite;
      spec.quantization = quantization;
      spec.signature = signature;
      spec.tags = tags;
      validation.applyTo(spec);
    }, validation.workDir, validation.reportDir, PipelineRun::validate);
  }
}
