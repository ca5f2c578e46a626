package dev.tflite.pipeline;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.write.metadata.MetadataSpec;
import dev.tflite.pipeline.incremental.Fingerprint;
import dev.tflite.validation.ValidationRequest;
import java.util.Arrays;
import java.util.TreeSet;

/** What goes into each step's fingerprint: every input and setting that can change its output, nothing else. */
final class PlanFingerprints {
  private PlanFingerprints() {}

  static String conversion(ConversionRequest r, String pluginVersion) {
    QuantizationOptions q = r.quantizationOptions();
    Fingerprint f = Fingerprint.start()
        .add("plugin", pluginVersion)
        .add("name", r.modelName())
        .add("signature", r.signature())
        .add("tags", r.tags())
        .add("quantization", r.quantization().configName())
        .add("perChannel", q.perChannel())
        .add("inputType", q.inputType())
        .add("outputType", q.outputType())
        .add("keepFloatOpTypes", new TreeSet<>(q.keepFloatOpTypes()))
        .add("keepFloatNodes", q.keepFloatNodes().stream().map(Object::toString).toList())
        .add("integerOnly", q.integerOnly())
        .add("targetRuntime", r.targetRuntime().toString());
    r.inputShapes().forEach((input, shape) -> f.add("inputShape." + input, Arrays.toString(shape)));
    if (r.metadata() != null) {
      metadata(f, r.metadata());
    }
    if (r.quantization().needsCalibration()) {
      var c = q.calibration();
      f.add("calibration", c.samples() + "," + c.seed() + "," + c.min() + "," + c.max());
      if (c.directory() != null) {
        f.addTree(c.directory());
      }
    }
    return f.addTree(r.source()).hex();
  }

  /** Every metadata setting, and the labels files' bytes: a changed label must rewrite the file. */
  private static void metadata(Fingerprint f, MetadataSpec m) {
    f.add("metadata", String.join("|", String.valueOf(m.name()), String.valueOf(m.description()), String.valueOf(m.version()),
        String.valueOf(m.author()), String.valueOf(m.license())));
    for (MetadataSpec.InputInfo in : m.inputs()) {
      f.add("metadata.input", in.tensor() + "|" + in.content() + "|" + in.colorSpace() + "|" + Arrays.toString(in.mean()) + "|"
          + Arrays.toString(in.std()) + "|" + in.range() + "|" + in.sampleRate());
    }
    for (MetadataSpec.OutputInfo out : m.outputs()) {
      f.add("metadata.output", out.tensor() + "|" + out.content() + "|" + out.range() + "|" + (out.labels() == null ? null : out.labels().getFileName()));
      if (out.labels() != null) {
        f.addTree(out.labels());
      }
    }
  }

  static String validation(ModelPlan plan, String pluginVersion) {
    ValidationRequest r = plan.validation();
    Fingerprint f = Fingerprint.start()
        .add("outputTolerances", plan.outputTolerances())
        .add("fallback", plan.fallback() + "," + plan.fallbackLimit())
        .add("golden", plan.golden())
        .add("batchSizes", plan.batchSizes())
        .add("oldestRuntimeSamples", plan.oldestRuntimeSamples());
    if (plan.baseline() != null) {
      f.add("baseline", plan.baseline().label() + "," + plan.baseline().tolerance()).addTree(plan.baseline().file());
    }
    if (plan.inputs() != null) {
      f.add("inputs", plan.inputs().imageScale() + "," + plan.inputs().imageOffset()).addTree(plan.inputs().directory());
    }
    return f
        .add("plugin", pluginVersion)
        .add("name", r.modelName())
        .add("sourceLabel", r.sourceLabel())
        .add("tags", r.tags())
        .add("quantization", r.quantization())
        .add("samples", r.samples())
        .add("seed", r.seed())
        .add("range", r.inputMin() + "," + r.inputMax())
        .add("tolerance", r.tolerance())
        .addTree(r.tflite())
        .addTree(r.source())
        .hex();
  }
}
