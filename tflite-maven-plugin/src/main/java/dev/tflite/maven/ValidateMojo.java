package dev.tflite.maven;

import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ConsoleTable;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ReportWriter;
import dev.tflite.validation.report.ValidationReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs each original model in TensorFlow and its converted {@code .tflite} in the TensorFlow Lite interpreter on the
 * same seeded inputs, writes {@code <name>.json}, {@code <name>.html} and {@code index.html} to the report
 * directory, prints a drift table, and fails the build when an output drifts beyond its tolerance.
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

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipValidate) {
      getLog().info("Skipping TensorFlow Lite validation");
      return;
    }
    List<ModelPlan> plans = plans();
    ModelValidator validator = new ModelValidator();
    List<ValidationReport> reports = new ArrayList<>();
    List<String> drift = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (ModelPlan plan : plans) {
      try {
        ValidationReport report = validator.validate(plan.validation());
        Path json = ReportWriter.write(reportDirectory.toPath(), report);
        reports.add(report);
        getLog().info("[" + report.model() + "] drift vs TensorFlow (" + report.samples() + " samples), report " + json);
        ConsoleTable.lines(report).forEach(line -> getLog().info("[" + report.model() + "]   " + line));
        getLog().info("[" + report.model() + "] " + (report.passed() ? "PASSED" : "FAILED") + ": " + report.quantization() + ", "
            + report.sizeBytes() + " bytes, worst max abs error " + report.worstMaxAbsError());
        if (!report.passed()) {
          drift.add(failureMessage(report, json));
        }
      } catch (ValidationException e) {
        getLog().error(e.getMessage());
        errors.add(e.getMessage());
      } catch (IOException e) {
        throw new MojoExecutionException("cannot write the drift report to " + reportDirectory + ": " + e.getMessage(), e);
      }
    }
    try {
      ReportWriter.writeIndex(reportDirectory.toPath(), reports);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + reportDirectory + "/index.html: " + e.getMessage(), e);
    }
    if (!errors.isEmpty()) {
      throw new MojoFailureException(errors.size() + " model(s) could not be validated:\n" + String.join("\n", errors));
    }
    if (!drift.isEmpty()) {
      String message = String.join("\n", drift);
      if (failOnDrift) {
        getLog().error(message);
        throw new MojoFailureException(message);
      }
      getLog().warn(message + "\n(tflite.failOnDrift=false: the build continues)");
    }
  }

  private static String failureMessage(ValidationReport report, Path json) {
    StringBuilder b = new StringBuilder("TensorFlow Lite model '" + report.model() + "' drifts beyond its tolerance:");
    for (OutputDrift o : report.failingOutputs()) {
      for (Tolerance.Violation v : o.violations()) {
        b.append("\n  output '").append(o.name()).append("': ").append(v.metric()).append(" = ").append(v.value())
            .append(v.metric().equals("cosineSimilarity") ? " < minimum " : " > tolerance ").append(v.limit());
      }
    }
    b.append("\n  report: ").append(json)
        .append("\n  Raise <tolerance> for this model if the drift is acceptable, or use a less aggressive <quantization>.");
    return b.toString();
  }
}
