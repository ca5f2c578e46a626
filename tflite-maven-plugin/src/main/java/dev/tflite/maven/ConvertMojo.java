package dev.tflite.maven;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
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
 * Converts each configured TensorFlow model (SavedModel directory or frozen GraphDef) to a TensorFlow Lite
 * flatbuffer, quantized as configured, and registers the output directory as a resource directory so the
 * {@code .tflite} files ship in the jar.
 */
@Mojo(name = "convert", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class ConvertMojo extends AbstractTfliteMojo {
  /** Skips conversion only. */
  @Parameter(property = "tflite.convert.skip", defaultValue = "false")
  private boolean skipConvert;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipConvert) {
      getLog().info("Skipping TensorFlow Lite conversion");
      return;
    }
    List<ModelPlan> plans = plans();
    TfliteConverter converter = new TfliteConverter();
    List<String> failures = new ArrayList<>();
    for (ModelPlan plan : plans) {
      try {
        ConversionResult r = converter.convert(plan.conversion());
        getLog().info(String.format(Locale.ROOT, "[%s] %s -> %s.tflite: %d bytes (weights %d -> %d bytes, %.2fx), ops %s",
            r.modelName(), r.quantization().configName(), r.modelName(), r.sizeBytes(), r.floatWeightBytes(), r.storedWeightBytes(),
            r.floatWeightBytes() == 0 ? 1.0 : (double) r.storedWeightBytes() / r.floatWeightBytes(), r.opCounts()));
        getLog().info("[" + r.modelName() + "] stage times (ms): " + r.stageMillis());
      } catch (ConversionException e) {
        getLog().error(e.getMessage());
        failures.add(e.getMessage());
      }
    }
    addResourceDirectory();
    if (!failures.isEmpty()) {
      throw new MojoFailureException(failures.size() + " of " + plans.size() + " model(s) could not be converted:\n" + String.join("\n", failures));
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
