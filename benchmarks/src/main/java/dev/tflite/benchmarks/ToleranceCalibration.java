package dev.tflite.benchmarks;

import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelPlanner;
import dev.tflite.pipeline.ModelSpec;
import dev.tflite.pipeline.Setting;
import dev.tflite.pipeline.Spelling;
import dev.tflite.pipeline.ConvertStep;
import dev.tflite.pipeline.ValidateStep;
import dev.tflite.pipeline.Workspace;
import dev.tflite.testmodels.KerasZoo;
import dev.tflite.testmodels.PriceRegressor;
import dev.tflite.testmodels.RNet;
import dev.tflite.testmodels.SavedModelExport;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The evidence behind the default tolerances: healthy conversions (the seed RNet with several seeded weights, the real
 * fixtures, a regressor with outputs in the thousands, an autoencoder) and broken ones (the official int8 file that
 * ignores its input, a different model's .h5) in every mode, each output's scale-free drift printed side by side:
 * relative error (max abs over the largest reference magnitude), SNR in dB, cosine, and the verdict of the defaults.
 *
 * <p>Arguments: the fixtures folder (default {@code ../fixtures}); {@code --skip-test-models} leaves out RNet and the regressor.
 */
public final class ToleranceCalibration {
  private ToleranceCalibration() {}

  record Case(String name, Path source, Path tflite, String mode, double min, double max) {}

  public static void main(String[] args) throws Exception {
    Path fixtures = Path.of(args.length > 0 ? args[0] : "../fixtures");
    Path work = Files.createTempDirectory("tflite-tolerance");
    List<Case> cases = new ArrayList<>();
    List<String> modes = List.of("none", "float16", "dynamic-range", "weight-only-int8", "int8", "int16x8");
    boolean quick = args.length > 1 && args[1].equals("--skip-test-models");
    for (long seed : quick ? new long[0] : new long[] {RNet.DEFAULT_SEED, 1, 2, 3}) {
      Path rnet = SavedModelExport.export(work.resolve("rnet-" + seed), seed, RNet::build);
      modes.forEach(m -> cases.add(new Case("rnet seed " + seed, rnet, null, m, -1, 1)));
    }
    Path price = PriceRegressor.export(work.resolve("price"));
    if (!quick) {
      modes.forEach(m -> cases.add(new Case("price regressor", price, null, m, 0, 1)));
    }
    Path autoencoder = KerasZoo.MODELS.stream().filter(e -> e.name().equals("mlp_autoencoder")).findFirst().orElseThrow().writer()
        .apply(work.resolve("autoencoder.keras"));
    modes.forEach(m -> cases.add(new Case("mlp autoencoder", autoencoder, null, m, 0, 1)));
    Path mlp = fixtures.resolve("keras-savedmodel-mlp/saved_model");
    modes.forEach(m -> cases.add(new Case("keras mlp fixture", mlp, null, m, 0, 1)));
    cases.add(new Case("keras mlp official dynamic-range", mlp, fixtures.resolve("keras-savedmodel-mlp/official_dynamic_range.tflite"),
        "dynamic-range", 0, 1));
    Path h5 = fixtures.resolve("keras-h5-cnn/digit_classifier.h5");
    modes.forEach(m -> cases.add(new Case("keras2 h5 cnn", h5, null, m, 0, 1)));
    Path vww = fixtures.resolve("keras2-mobilenet-v1-bn/vww_96.h5");
    List.of("none", "dynamic-range", "int8").forEach(m -> cases.add(new Case("keras2 vww mobilenet", vww, null, m, 0, 1)));
    Path keras3 = fixtures.resolve("keras3-cnn/best_model.keras");
    List.of("none", "dynamic-range", "int8").forEach(m -> cases.add(new Case("keras3 cnn", keras3, null, m, 0.3, 0.5)));
    cases.add(new Case("BROKEN official int8 (keras3)", fixtures.resolve("keras3-cnn/official_float32.tflite"),
        fixtures.resolve("keras3-cnn/official_int8_broken.tflite"), "int8", 0.3, 0.5));
    cases.add(new Case("BROKEN negative-control h5", fixtures.resolve("keras-h5-cnn/other_model_negative_control.h5"),
        fixtures.resolve("keras-h5-cnn/official_float32.tflite"), "none", 0, 1));

    System.out.printf(Locale.ROOT, "%-34s %-17s %-12s %10s %10s %8s %8s %7s %9s  %s%n", "model", "mode", "output", "max abs", "rel err", "SNR dB",
        "cosine", "top-1", "spread", "default verdict");
    int index = 0;
    for (Case c : cases) {
      ValidationReport report = run(c, work.resolve("case" + index++));
      for (OutputDrift o : report.outputs()) {
        System.out.printf(Locale.ROOT, "%-34s %-17s %-12s %10.3g %10.3g %8.1f %8.4f %7s %9.2g  %s%n", c.name(), c.mode(), o.name(), o.maxAbsError(),
            o.relativeError(), o.snrDb(), o.cosineSimilarity(), o.top1Agreement() == null ? "-" : String.format(Locale.ROOT, "%.3f", o.top1Agreement()),
            o.referenceSpread(), verdict(report, o));
      }
      report.diagnostics().forEach(d -> System.out.println("    note: " + d));
    }
  }

  private static String verdict(ValidationReport report, OutputDrift o) {
    return o.passed() ? "pass" : "FAIL " + o.violations().stream().map(v -> String.format(Locale.ROOT, "%s=%.3g", v.metric(), v.value())).toList();
  }

  private static ValidationReport run(Case c, Path dir) throws Exception {
    ModelSpec spec = new ModelSpec();
    spec.name = "m";
    spec.source = c.source();
    spec.quantization = c.mode();
    spec.inputRange = new ModelSpec.Range(c.min(), c.max());
    spec.calibration = new ModelSpec.Calibration(null, 32, 1234, new ModelSpec.Range(c.min(), c.max()));
    spec.output = c.tflite();
    ModelPlan plan = new ModelPlanner(PLAIN, "calibration").plan(List.of(spec), dir, dir.resolve("out")).get(0);
    Workspace workspace = new Workspace(dir.resolve("work"), dir.resolve("reports"), null, "calibration");
    if (c.tflite() == null) {
      ConvertStep.Outcome converted = new ConvertStep(workspace, PLAIN).run(plan);
      if (converted.failed()) {
        throw new IllegalStateException(converted.failure());
      }
    }
    ValidateStep.Outcome outcome = new ValidateStep(workspace, PLAIN, file -> {}).run(plan);
    if (outcome.report() == null) {
      throw new IllegalStateException(c.name() + " " + c.mode() + ": " + outcome.error());
    }
    return outcome.report();
  }

  private static final Spelling PLAIN = new Spelling() {
    public String model(int index, String name) {
      return name;
    }

    public String setting(Setting setting) {
      return setting.name();
    }

    public String value(Setting setting, String key, Object value) {
      return setting.name() + "=" + value;
    }
  };

}
