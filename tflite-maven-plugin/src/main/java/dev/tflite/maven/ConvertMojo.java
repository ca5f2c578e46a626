package dev.tflite.maven;

import dev.tflite.pipeline.ConvertStep;
import dev.tflite.pipeline.ModelExecutor;
import dev.tflite.pipeline.ModelPlan;
import java.util.List;
import java.util.Locale;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Converts each configured TensorFlow model (SavedModel directory, frozen GraphDef, Keras {@code .h5}/{@code .keras}
 * file, or float {@code .tflite} to quantize) to a TensorFlow Lite flatbuffer, quantized as configured, and registers
 * the output directory as a resource directory so the {@code .tflite} files ship in the jar. Models run in parallel; a
 * model whose inputs did not change since its last successful conversion is skipped.
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
    dev.tflite.runtime.NativeLogs.configure(getLog().isDebugEnabled()); // mvn -X shows TensorFlow's and TFLite's own log lines
    long start = System.nanoTime();
    List<ModelPlan> plans = plans();
    ConvertStep step = new ConvertStep(workspace(null), new MavenSpelling());
    List<ConvertStep.Outcome> outcomes;
    try {
      outcomes = ModelExecutor.run(plans, threadCount(), step::run);
    } catch (IllegalStateException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
    addResourceDirectory();
    outcomes.forEach(o -> o.log().printTo(mavenLog()));
    outcomes.forEach(o -> getLog().info(o.summary()));
    getLog().info(String.format(Locale.ROOT, "convert: %d model(s) in %.2f s", plans.size(), (System.nanoTime() - start) / 1e9));
    List<String> failures = outcomes.stream().filter(ConvertStep.Outcome::failed).map(ConvertStep.Outcome::failure).toList();
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
