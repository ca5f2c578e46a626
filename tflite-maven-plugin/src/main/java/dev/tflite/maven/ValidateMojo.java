package dev.tflite.maven;

import dev.tflite.pipeline.ModelExecutor;
import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelSpec;
import dev.tflite.pipeline.ValidateStep;
import dev.tflite.pipeline.ValidateStep.Outcome;
import dev.tflite.validation.report.JsonReport;
import dev.tflite.validation.report.ReportWriter;
import dev.tflite.validation.report.ValidationReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs each original model in TensorFlow (or a source {@code .tflite} in the interpreter) and its converted
 * {@code .tflite} in the TensorFlow Lite interpreter on the same seeded inputs, writes {@code <name>.json},
 * {@code <name>.html} and {@code index.html} to the report directory, prints a drift table, and fails the build when
 * an output drifts beyond its tolerance. A model whose converted file, original and settings did not change since it
 * last passed is not run again; its report stays.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class ValidateMojo extends AbstractTfliteMojo {
  /** Where the drift reports are written. */
  @Parameter(property = "tflite.reportDirectory", defaultValue = "${project.build.directory}/tflite-reports")
  private File reportDirectory;

  /** Fail the build when drift exceeds a tolerance; when false, only report it. */
  @Parameter(property = "tflite.failOnDrift", defaultValue = "true")
  private boolean failOnDrift;

  /** Skips validation only. */
  @Parameter(property = "tflite.validate.skip", defaultValue = "false")
  private boolean skipValidate;

  @org.apache.maven.plugins.annotations.Component
  private org.eclipse.aether.RepositorySystem repositorySystem;

  @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
  private org.eclipse.aether.RepositorySystemSession repositorySession;

  @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true, required = true)
  private List<org.eclipse.aether.repository.RemoteRepository> remoteRepositories;

  /** Resolves {@code <baselineArtifact>} to a file the pipeline reads. */
  @Override
  protected ModelSpec spec(ModelConfig model) throws MojoFailureException {
    ModelSpec spec = model.toSpec();
    if (model.baselineArtifact != null) {
      if (model.baseline != null) {
        throw new MojoFailureException("<models>/<model> '" + model.name + "': set <baseline> (a file) or <baselineArtifact> (coordinates), not both");
      }
      BaselineArtifacts.Resolved r = new BaselineArtifacts(repositorySystem, repositorySession, remoteRepositories,
          workDirectory.toPath().resolve("baselines"), getLog()).resolve(model.name, model.baselineArtifact);
      spec.baseline = r.file();
      spec.baselineLabel = r.label();
    }
    return spec;
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipValidate) {
      getLog().info("Skipping TensorFlow Lite validation");
      return;
    }
    dev.tflite.runtime.NativeLogs.configure(getLog().isDebugEnabled()); // mvn -X shows TensorFlow's and TFLite's own log lines
    long start = System.nanoTime();
    List<ModelPlan> plans = plans();
    ValidateStep step = new ValidateStep(workspace(reportDirectory.toPath()), new MavenSpelling(), this::refreshCopiedResource);
    List<Outcome> outcomes;
    try {
      outcomes = ModelExecutor.run(plans, threadCount(), step::run);
    } catch (IllegalStateException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
    List<ValidationReport> reports = new ArrayList<>();
    List<String> drift = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    boolean indexCurrent = outcomes.stream().allMatch(Outcome::upToDate) && Files.exists(reportDirectory.toPath().resolve("index.html"));
    for (Outcome o : outcomes) {
      o.log().printTo(mavenLog());
      if (o.report() != null) {
        reports.add(o.report());
      } else if (o.upToDate() && !indexCurrent) {
        reports.add(readReport(o.model()));
      }
      if (o.drift() != null) {
        drift.add(o.drift());
      }
      if (o.error() != null) {
        errors.add(o.error());
      }
    }
    if (!indexCurrent) {
      try {
        ReportWriter.writeIndex(reportDirectory.toPath(), reports);
      } catch (IOException e) {
        throw new MojoExecutionException("cannot write " + reportDirectory + "/index.html: " + e.getMessage(), e);
      }
    }
    for (ValidationReport r : reports) {
      getLog().info(String.format(Locale.ROOT, "[%s] %s: %s, %d bytes, worst max abs error %.3g, %.0f%% of its tolerance used", r.model(),
          r.passed() ? "PASSED" : "FAILED", r.quantization(), r.sizeBytes(), r.worstMaxAbsError(),
          100 * r.outputs().stream().mapToDouble(dev.tflite.validation.report.OutputDrift::budgetUsed).max().orElse(0)));
    }
    getLog().info(String.format(Locale.ROOT, "validate: %d model(s) in %.2f s", plans.size(), (System.nanoTime() - start) / 1e9));
    if (!errors.isEmpty()) {
      throw new MojoFailureException(errors.size() + " model(s) could not be validated:\n" + String.join("\n", errors));
    }
    if (!drift.isEmpty()) {
      String message = String.join("\n", drift);
      if (failOnDrift) {
        throw new MojoFailureException(message);
      }
      getLog().warn(message + "\n(tflite.failOnDrift=false: the build continues)");
    }
  }

  /** Resources were copied to the classes directory before validation; the fallback's file must replace the copy. */
  private void refreshCopiedResource(Path tflite) {
    Path copied = Path.of(project.getBuild().getOutputDirectory()).resolve(tflite.getFileName());
    try {
      if (Files.exists(copied)) {
        Files.copy(tflite, copied, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot refresh " + copied + " with the fallback's file: " + e.getMessage(), e);
    }
  }

  private ValidationReport readReport(String model) throws MojoExecutionException {
    Path json = reportDirectory.toPath().resolve(model + ".json");
    try {
      return JsonReport.fromJson(Files.readString(json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new MojoExecutionException("cannot read the previous report " + json + ": " + e.getMessage(), e);
    }
  }
}
