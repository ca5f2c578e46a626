package dev.tflite.maven;

import dev.tflite.maven.incremental.BuildCache;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ConsoleTable;
import dev.tflite.validation.report.JsonReport;
import dev.tflite.validation.report.OutputDrift;
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

  /**
   * What one model's validation did: its report (null when it could not run or is up to date and not needed), log,
   * drift or error message.
   */
  private record Outcome(String model, boolean upToDate, ValidationReport report, ModelLog log, String drift, String error) {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipValidate) {
      getLog().info("Skipping TensorFlow Lite validation");
      return;
    }
    dev.tflite.runtime.NativeLogs.configure(getLog().isDebugEnabled()); // mvn -X shows TensorFlow's and TFLite's own log lines
    long start = System.nanoTime();
    List<ModelPlan> plans = plans();
    BuildCache cache = cache();
    String version = pluginVersion();
    List<Outcome> outcomes = ModelExecutor.run(plans, threadCount(), plan -> validate(plan, cache, version));
    List<ValidationReport> reports = new ArrayList<>();
    List<String> drift = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    boolean indexCurrent = outcomes.stream().allMatch(Outcome::upToDate) && Files.exists(reportDirectory.toPath().resolve("index.html"));
    for (Outcome o : outcomes) {
      o.log().printTo(getLog());
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
      getLog().info(String.format(Locale.ROOT, "[%s] %s: %s, %d bytes, worst max abs error %.3g", r.model(), r.passed() ? "PASSED" : "FAILED",
          r.quantization(), r.sizeBytes(), r.worstMaxAbsError()));
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

  private Outcome validate(ModelPlan plan, BuildCache cache, String version) {
    String name = plan.validation().modelName();
    ModelLog log = new ModelLog(name);
    Path json = reportDirectory.toPath().resolve(name + ".json");
    String key = name + ".validate";
    try {
      String fingerprint = PlanFingerprints.validation(plan, version);
      if (incremental && cache.upToDate(key, fingerprint, json)) {
        log.info("PASSED (up to date: converted model, original and settings unchanged since it passed; report " + json + ")");
        return new Outcome(name, true, null, log, null, null);
      }
      cache.forget(key);
      long start = System.nanoTime();
      ValidationReport report = new ModelValidator().validate(plan.validation(), plan.validationOptions(workDirectory.toPath()));
      if (!report.passed() && plan.fallback()) {
        ConsoleTable.lines(report).forEach(line -> log.info("  " + line));
        DriftFallback.Result fallback = new DriftFallback().run(plan, report, workDirectory.toPath(), log);
        report = fallback.report();
        // the converted file now holds the fallback conversion: remember it so the next build does not redo it
        cache.record(name + ".convert", PlanFingerprints.conversion(plan.conversion(), version), plan.conversion().output());
        refreshCopiedResource(plan.conversion().output());
      }
      ReportWriter.write(reportDirectory.toPath(), report);
      log.info(String.format(Locale.ROOT, "drift vs %s on %d samples (%.1f s), report %s", report.runtimes().reference(), report.samples(),
          (System.nanoTime() - start) / 1e9, json));
      ConsoleTable.lines(report).forEach(line -> log.info("  " + line));
      report.diagnostics().forEach(log::warn);
      if (report.firstDriftingLayer() != null) {
        log.info("drift starts at layer '" + report.firstDriftingLayer() + "' (see the per-layer chart in the HTML report)");
      }
      if (report.fallback() != null) {
        log.info("fallback kept " + report.fallback().keptInFloat() + " in float: " + report.fallback().sizeBytesBefore() + " -> "
            + report.fallback().sizeBytes() + " bytes, " + (report.passed() ? "now within tolerance" : "still beyond tolerance"));
      }
      if (!report.passed()) {
        String message = failureMessage(report, json);
        log.error(message);
        return new Outcome(name, false, report, log, message, null);
      }
      cache.record(key, fingerprint, json);
      return new Outcome(name, false, report, log, null, null);
    } catch (ValidationException e) {
      log.error(e.getMessage());
      return new Outcome(name, false, null, log, null, e.getMessage());
    } catch (IOException | RuntimeException e) {
      String message = "model '" + name + "': validation failed unexpectedly: " + e;
      log.error(message);
      return new Outcome(name, false, null, log, null, message);
    }
  }

  /** Resources were copied to the classes directory before validation; the fallback's file must replace the copy. */
  private void refreshCopiedResource(Path tflite) throws IOException {
    Path copied = Path.of(project.getBuild().getOutputDirectory()).resolve(tflite.getFileName());
    if (Files.exists(copied)) {
      Files.copy(tflite, copied, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

  private static String failureMessage(ValidationReport report, Path json) {
    StringBuilder b = new StringBuilder("TensorFlow Lite model '" + report.model() + "' drifts beyond its tolerance:");
    for (OutputDrift o : report.failingOutputs()) {
      for (Tolerance.Violation v : o.violations()) {
        b.append("\n  output '").append(o.name()).append("': ").append(v.metric()).append(" = ").append(v.value())
            .append(v.isMinimum() ? " < minimum " : " > tolerance ").append(v.limit());
      }
    }
    if (report.failingOutputs().stream().flatMap(o -> o.violations().stream()).anyMatch(v -> v.metric().startsWith("oldestRuntime."))) {
      b.append("\n  'oldestRuntime.*' is this file run in ").append(report.runtimes().oldest())
          .append(", the oldest runtime the plugin writes for: its kernels give other results than the current runtime's,"
              + " so devices on it would see this drift; keep the drifting layer in float, or use another <quantization> mode");
    }
    report.diagnostics().forEach(d -> b.append("\n  ").append(d));
    if (report.firstDriftingLayer() != null) {
      b.append("\n  drift starts at layer '").append(report.firstDriftingLayer()).append("'; keep it in float with <keepFloat> or use <onDrift>fallback</onDrift>");
    }
    b.append("\n  report: ").append(json)
        .append("\n  Raise <tolerance> for this model if the drift is acceptable, or use a less aggressive <quantization>.");
    return b.toString();
  }
}
