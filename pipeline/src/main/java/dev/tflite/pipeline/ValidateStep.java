package dev.tflite.pipeline;

import dev.tflite.convert.TfliteConverter;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.run.DilatedConvolutions;
import dev.tflite.validation.report.ConsoleTable;
import dev.tflite.validation.report.ReportWriter;
import dev.tflite.validation.report.ValidationReport;
import dev.tflite.convert.ConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Validates one planned model: runs the original and the converted file on the same inputs, writes the reports, and
 * with {@code onDrift=fallback} keeps drifting layers in float until the model passes. Skipped when the incremental
 * cache says the converted file, the original and the settings did not change since it last passed.
 */
public final class ValidateStep {
  /**
   * What one model's validation did: its report (null when it could not run, or when it is up to date), log, drift
   * failure message or error message.
   */
  public record Outcome(String model, boolean upToDate, ValidationReport report, ModelLog log, String drift, String error) {}

  private final Workspace workspace;
  private final Spelling spelling;
  private final Consumer<Path> fallbackWritten;

  /**
   * {@code fallbackWritten} is told when the fallback replaced a converted file (the plugin refreshes the copy it
   * already put among the project's resources).
   */
  public ValidateStep(Workspace workspace, Spelling spelling, Consumer<Path> fallbackWritten) {
    this.workspace = workspace;
    this.spelling = spelling;
    this.fallbackWritten = fallbackWritten;
  }

  public Outcome run(ModelPlan plan) {
    String name = plan.name();
    ModelLog log = new ModelLog(name);
    Path json = workspace.reportDirectory().resolve(name + ".json");
    String key = name + ".validate";
    try {
      String fingerprint = PlanFingerprints.validation(plan, workspace.toolVersion());
      if (workspace.incremental() && workspace.cache().upToDate(key, fingerprint, json)) {
        log.info("PASSED (up to date: converted model, original and settings unchanged since it passed; report " + json + ")");
        return new Outcome(name, true, null, log, null, null);
      }
      if (workspace.incremental()) {
        workspace.cache().forget(key);
      }
      long start = System.nanoTime();
      ensureReferenceGraph(plan);
      ValidationReport report = new ModelValidator().validate(plan.validation(), plan.validationOptions(workspace.workDirectory()));
      if (!report.passed() && plan.fallback()) {
        ConsoleTable.lines(report).forEach(line -> log.info("  " + line));
        report = new DriftFallback().run(plan, report, workspace.workDirectory(), log).report();
        if (workspace.incremental()) {
          // the converted file now holds the fallback conversion: remember it so the next build does not redo it
          workspace.cache().record(name + ".convert", PlanFingerprints.conversion(plan.conversion(), workspace.toolVersion()), plan.conversion().output());
        }
        fallbackWritten.accept(plan.conversion().output());
      }
      ReportWriter.write(workspace.reportDirectory(), report);
      log.info(String.format(Locale.ROOT, "drift vs %s on %d samples (%.1f s), report %s", report.runtimes().reference(), report.samples(),
          (System.nanoTime() - start) / 1e9, json));
      ConsoleTable.lines(report).forEach(line -> log.info("  " + line));
      report.inputs().stream().filter(p -> p.alsoRunAt() != null).forEach(p -> log.info("  input " + p.name() + " also ran at "
          + java.util.Arrays.toString(p.alsoRunAt()) + " (its open dimensions, against TensorFlow running the model built at that size)"));
      report.diagnostics().forEach(log::warn);
      if (report.firstDriftingLayer() != null) {
        log.info("drift starts at layer '" + report.firstDriftingLayer() + "' (see the per-layer chart in the HTML report)");
      }
      if (report.fallback() != null) {
        log.info("fallback kept " + report.fallback().keptInFloat() + " in float: " + report.fallback().sizeBytesBefore() + " -> "
            + report.fallback().sizeBytes() + " bytes, " + (report.passed() ? "now within tolerance" : "still beyond tolerance"));
      }
      if (!report.passed()) {
        String message = new DriftFailure(spelling).message(report, json);
        log.error(message);
        return new Outcome(name, false, report, log, message, null);
      }
      if (workspace.incremental()) {
        workspace.cache().record(key, fingerprint, json);
      }
      return new Outcome(name, false, report, log, null, null);
    } catch (ValidationException | ConversionException e) {
      log.error(e.getMessage());
      return new Outcome(name, false, null, log, null, e.getMessage());
    } catch (IOException | RuntimeException e) {
      String message = "model '" + name + "': validation failed unexpectedly: " + e;
      log.error(message);
      return new Outcome(name, false, null, log, null, message);
    }
  }

  /**
   * The reference validation runs when the source itself cannot be: a Keras file's is the TensorFlow graph its layers
   * lower to, and a graph with dilated convolutions runs on CPUs without oneDNN only as the converter's frozen graph
   * (SpaceToBatchND form). Conversion leaves both in the work directory; when the converted file came from elsewhere
   * (the CLI validating any .tflite), the converter writes the reference here without converting.
   */
  private void ensureReferenceGraph(ModelPlan plan) {
    if (Files.isRegularFile(workspace.workDirectory().resolve(plan.name() + ".layers.json"))) {
      return; // the conversion left it: no need to read the source's graph again
    }
    Path source = plan.conversion().source();
    boolean needed = ModelValidator.isKerasSource(source)
        || !source.getFileName().toString().endsWith(".tflite") && DilatedConvolutions.in(source);
    if (needed) {
      new TfliteConverter().writeReference(plan.conversion(), workspace.workDirectory());
    }
  }
}
