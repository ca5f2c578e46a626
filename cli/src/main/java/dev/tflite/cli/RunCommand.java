package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: what {@code mvn package} does for one model: convert, then validate, with the accuracy-aware fallback. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Convert a model and validate the result against the original, as the Maven plugin does.")
final class RunCommand implements Callable<Integer> {
  @Mixin
  ConversionOptions conversion;

  @Mixin
  MetadataOptions metadata;

  @Mixin
  ValidationSettings validation;

  @Option(names = "--out", required = true, description = "the .tflite file to write")
  Path out;

  @Option(names = "--on-drift", description = "fail (default) | fallback: keep the worst layers in float until the model passes")
  String onDrift;

  @Option(names = "--fallback-limit", defaultValue = "3", description = "most layers the fallback may keep in float (default ${DEFAULT-VALUE})")
  int fallbackLimit;

  @Override
  public Integer call() {
    ModelSpec spec = new ModelSpec();
    return PipelineRun.execute(spec, () -> {
      conversion.applyTo(spec, out);
      metadata.applyTo(spec);
      validation.applyTo(spec);
      spec.onDrift = onDrift;
      spec.fallbackLimit = fallbackLimit;
    }, validation.workDir, validation.reportDir, run -> run.convert() ? run.validate() : 1);
  }
}
