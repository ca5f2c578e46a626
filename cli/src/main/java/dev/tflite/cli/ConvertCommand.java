package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convert}: one model to one .tflite, with the options of the plugin's {@code <model>}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert a SavedModel, frozen .pb, Keras .h5/.keras or float .tflite to TensorFlow Lite.")
final class ConvertCommand implements Callable<Integer> {
  @Mixin
  ConversionOptions conversion;

  @Mixin
  MetadataOptions metadata;

  @Option(names = "--out", required = true, description = "the .tflite file to write")
  Path out;

  @Override
  public Integer call() {
    ModelSpec spec = new ModelSpec();
    return PipelineRun.execute(spec, () -> {
      conversion.applyTo(spec, out);
      metadata.applyTo(spec);
    }, null, Path.of("tflite-reports"), run -> run.convert() ? 0 : 1);
  }
}
