package dev.tflite.maven;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.maven.incremental.BuildCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Converts each configured TensorFlow model (SavedModel directory, frozen GraphDef, or float {@code .tflite} to
 * quantize) to a TensorFlow Lite flatbuffer, quantized as configured, and registers the output directory as a
 * resource directory so the {@code .tflite} files ship in the jar. Models run in parallel; a model whose inputs did
 * not change since its last successful conversion is skipped.
 */
@Mojo(name = "convert", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class ConvertMojo extends AbstractTfliteMojo {
  /** Skips conversion only. */
  @Parameter(property = "tflite.convert.skip", defaultValue = "false")
  private boolean skipConvert;

  /** What one model's conversion did. */
  private record Outcome(ModelLog log, String summary, String failure) {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipConvert) {
      getLog().info("Skipping TensorFlow Lite conversion");
      return;
    }
    dev.tflite.runtime.NativeLogs.configure(getLog().isDebugEnabled()); // mvn -X shows TensorFlow's and TFLite's own log lines
    long start = System.nanoTime();
    List<ModelPlan> plans = plans();
    BuildCache cache = cache();
    String version = pluginVersion();
    TfliteConverter converter = new TfliteConverter();
    List<Outcome> outcomes = ModelExecutor.run(plans, threadCount(), plan -> convert(converter, plan, cache, version));
    addResourceDirectory();
    List<String> failures = new ArrayList<>();
    for (Outcome o : outcomes) {
      o.log().printTo(getLog());
      if (o.failure() != null) {
        failures.add(o.failure());
      }
    }
    outcomes.forEach(o -> getLog().info(o.summary()));
    getLog().info(String.format(Locale.ROOT, "convert: %d model(s) in %.2f s", plans.size(), (System.nanoTime() - start) / 1e9));
    if (!failures.isEmpty()) {
      throw new MojoFailureException(failures.size() + " of " + plans.size() + " model(s) could not be converted:\n" + String.join("\n", failures));
    }
  }

  private Outcome convert(TfliteConverter converter, ModelPlan plan, BuildCache cache, String version) {
    String name = plan.conversion().modelName();
    ModelLog log = new ModelLog(name);
    String key = name + ".convert";
    String fingerprint = PlanFingerprints.conversion(plan.conversion(), version);
    if (incremental && cache.upToDate(key, fingerprint, plan.conversion().output())) {
      log.info("up to date, conversion skipped (inputs unchanged since the last successful run)");
      return new Outcome(log, "[" + name + "] " + plan.conversion().quantization().configName() + ": up to date", null);
    }
    long start = System.nanoTime();
    try {
      cache.forget(key);
      ConversionResult r = converter.convert(plan.conversion(), workDirectory.toPath());
      log.info("stages (ms): " + r.stageMillis());
      log.info("ops: " + r.opCounts());
      cache.record(key, fingerprint, plan.conversion().output());
      String summary = String.format(Locale.ROOT, "[%s] %s: %s.tflite, %d bytes (weights %d -> %d bytes, %.2fx), converted in %.1f s",
          name, r.quantization().configName(), name, r.sizeBytes(), r.floatWeightBytes(), r.storedWeightBytes(),
          r.floatWeightBytes() == 0 ? 1.0 : (double) r.storedWeightBytes() / r.floatWeightBytes(), (System.nanoTime() - start) / 1e9);
      return new Outcome(log, summary, null);
    } catch (ConversionException | IOException e) {
      log.error(e.getMessage());
      return new Outcome(log, "[" + name + "] FAILED to convert", e.getMessage());
    }
  }

  private void addResourceDirectory() {
    String dir = outputDirectory.getAbsolutePath();
    boolean present = project.getResources().stream().anyMatch(r -> dir.equals(r.getDirectory()));
    if (!present) {
      Resource resource = new Resource();
      resource.setDirectory(dir);
      resource.addInclude("*.tflite");
      project.addResource(resource);
    }
  }
}
