package dev.tflite.pipeline;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.write.metadata.MetadataException;
import java.io.IOException;
import java.util.Locale;

/** Converts one planned model, unless the incremental cache says its output is up to date. */
public final class ConvertStep {
  /** What one model's conversion did: its log, a one-line summary, and the failure message or null. */
  public record Outcome(String model, ModelLog log, String summary, ConversionResult result, String failure) {
    public boolean failed() {
      return failure != null;
    }
  }

  private final TfliteConverter converter = new TfliteConverter();
  private final Workspace workspace;

  private final Spelling spelling;

  /** {@code spelling} words metadata settings that do not fit the converted model. */
  public ConvertStep(Workspace workspace, Spelling spelling) {
    this.workspace = workspace;
    this.spelling = spelling;
  }

  public Outcome run(ModelPlan plan) {
    String name = plan.name();
    ModelLog log = new ModelLog(name);
    String key = name + ".convert";
    String fingerprint = PlanFingerprints.conversion(plan.conversion(), workspace.toolVersion());
    if (workspace.incremental() && workspace.cache().upToDate(key, fingerprint, plan.conversion().output())) {
      log.info("up to date, conversion skipped (inputs unchanged since the last successful run)");
      return new Outcome(name, log, "[" + name + "] " + plan.conversion().quantization().configName() + ": up to date", null, null);
    }
    long start = System.nanoTime();
    try {
      if (workspace.incremental()) {
        workspace.cache().forget(key);
      }
      ConversionResult r = converter.convert(plan.conversion(), workspace.workDirectory());
      log.info("stages (ms): " + r.stageMillis());
      log.info("ops: " + r.opCounts() + "; min runtime " + r.minRuntimeVersion());
      r.floatOps().forEach(op -> log.info("kept in float: " + op));
      // a recurrent layer the fused sequence op cannot carry (mode, activation, mask, state) is unrolled: say which and why
      r.unrolledLayers().forEach(note -> log.info("conversion note: " + note));
      if (workspace.incremental()) {
        workspace.cache().record(key, fingerprint, plan.conversion().output());
      }
      String summary = String.format(Locale.ROOT, "[%s] %s: %s.tflite, %d bytes (weights %d -> %d bytes, %.2fx), converted in %.1f s",
          name, r.quantization().configName(), name, r.sizeBytes(), r.floatWeightBytes(), r.storedWeightBytes(),
          r.floatWeightBytes() == 0 ? 1.0 : (double) r.storedWeightBytes() / r.floatWeightBytes(), (System.nanoTime() - start) / 1e9);
      return new Outcome(name, log, summary, r, null);
    } catch (MetadataException e) {
      MetadataPlanner words = new MetadataPlanner(spelling);
      String message = "model '" + name + "': the metadata does not fit the converted model:\n  "
          + String.join("\n  ", e.problems().stream().map(words::spell).toList());
      log.error(message);
      return new Outcome(name, log, "[" + name + "] FAILED to convert", null, message);
    } catch (ConversionException | IOException e) {
      log.error(e.getMessage());
      return new Outcome(name, log, "[" + name + "] FAILED to convert", null, e.getMessage());
    }
  }
}
