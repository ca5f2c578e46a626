package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.pipeline.ConvertStep;
import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelPlanner;
import dev.tflite.pipeline.ModelSpec;
import dev.tflite.pipeline.Setting;
import dev.tflite.pipeline.Spelling;
import dev.tflite.pipeline.ValidateStep;
import dev.tflite.pipeline.Workspace;
import dev.tflite.testmodels.PriceRegressor;
import dev.tflite.testmodels.RNet;
import dev.tflite.testmodels.SavedModelExport;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default tolerances judge the model, not its units: healthy conversions pass whatever their output's scale
 * (RNet with other seeded weights, a regressor with outputs in the thousands, the real Keras MLP whose drift equals the
 * official converter's), broken ones fail, inputs that do not move the output are called out instead of passed, and a
 * failure names the smallest tolerance that would pass. Everything runs through the pipeline the plugin and the CLI use.
 */
class DefaultToleranceTest {
  @TempDir
  Path dir;

  /** Settings spelled as a POM writes them, so the messages read as a plugin user sees them. */
  static final Spelling POM = new Spelling() {
    public String model(int index, String name) {
      return "<model> '" + name + "'";
    }

    public String setting(Setting setting) {
      return "<" + setting.name() + ">";
    }

    public String value(Setting setting, String key, Object value) {
      String element = key != null ? key : setting.name();
      return "<" + element + ">" + value + "</" + element + ">";
    }
  };

  private ValidateStep.Outcome run(String name, Path source, Path tflite, String mode, double min, double max, Tolerance tolerance) throws Exception {
    ModelSpec spec = new ModelSpec();
    spec.name = name;
    spec.source = source;
    spec.output = tflite;
    spec.quantization = mode;
    spec.inputRange = new ModelSpec.Range(min, max);
    spec.calibration = new ModelSpec.Calibration(null, 32, 1234, new ModelSpec.Range(min, max));
    spec.tolerance = tolerance;
    Path work = dir.resolve(name);
    ModelPlan plan = new ModelPlanner(POM, "test").plan(List.of(spec), work, work.resolve("out")).get(0);
    Workspace workspace = new Workspace(work.resolve("work"), work.resolve("reports"), null, "test");
    if (tflite == null) {
      ConvertStep.Outcome converted = new ConvertStep(workspace, POM).run(plan);
      assertFalse(converted.failed(), converted::failure);
    }
    ValidateStep.Outcome outcome = new ValidateStep(workspace, POM, file -> {}).run(plan);
    assertNotNull(outcome.report(), () -> "validation ran: " + outcome.error());
    return outcome;
  }

  @Test
  void healthyQuantizedConversionsOfOtherSeededWeightsPass() throws Exception {
    for (long seed : new long[] {1, 2}) {
      Path rnet = SavedModelExport.export(dir.resolve("rnet" + seed), seed, RNet::build);
      for (String mode : List.of("dynamic-range", "int8")) {
        ValidateStep.Outcome o = run("rnet" + seed + "-" + mode, rnet, null, mode, -1, 1, null);
        assertTrue(o.report().passed(), () -> "seed " + seed + " " + mode + ": " + o.drift());
      }
    }
  }

  @Test
  void aRegressorWithOutputsInTheThousandsPassesAsFloatAndQuantized() throws Exception {
    Path price = PriceRegressor.export(dir.resolve("price"));
    ValidateStep.Outcome none = run("price-none", price, null, "none", 0, 1, null);
    assertTrue(none.report().passed(), none::drift);
    OutputDrift out = none.report().outputs().get(0);
    // the case is real: float rounding near 3000 exceeds the old absolute default of 1e-4, which failed this model
    assertTrue(out.maxAbsError() > 1e-4, "max abs " + out.maxAbsError());
    assertTrue(out.relativeError() < 1e-5, "relative " + out.relativeError());
    assertTrue(run("price-dr", price, null, "dynamic-range", 0, 1, null).report().passed());
  }

  @Test
  void theKerasMlpFixturePassesInDynamicRangeLikeTheOfficialFile() throws Exception {
    Path mlp = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    ValidateStep.Outcome ours = run("mlp", mlp, null, "dynamic-range", 0, 1, null);
    ValidateStep.Outcome official = run("mlp-official", mlp, Tflite.fixture("keras-savedmodel-mlp/official_dynamic_range.tflite"), "dynamic-range", 0, 1,
        null);
    assertTrue(ours.report().passed(), ours::drift);
    assertTrue(official.report().passed(), official::drift);
    // max abs 0.109 failed the old default (0.05) for both files alike
    assertTrue(ours.report().outputs().get(0).maxAbsError() > 0.05);
  }

  @Test
  void theBrokenOfficialInt8FileStillFails() throws Exception {
    ValidateStep.Outcome broken = run("broken", Tflite.fixture("keras3-cnn/official_float32.tflite"),
        Tflite.fixture("keras3-cnn/official_int8_broken.tflite"), "int8", 0.3, 0.5, null);
    assertFalse(broken.report().passed());
    assertTrue(broken.drift().contains("oldestRuntime.snrDb"), broken.drift());
  }

  @Test
  void inputsThatDoNotMoveTheOutputAreCalledOutNotPassed() throws Exception {
    // a digit classifier fed near-constant inputs: every sample gives the same output, so any file would "match"
    ValidateStep.Outcome o = run("flat", Tflite.fixture("keras-h5-cnn/digit_classifier.h5"), Tflite.fixture("keras-h5-cnn/official_float32.tflite"),
        "none", 0.5, 0.5000001, null);
    assertFalse(o.report().passed());
    assertTrue(o.report().outputs().get(0).referenceSpread() < Tolerance.MIN_REFERENCE_SPREAD);
    assertTrue(o.drift().contains("hardly change over these inputs") && o.drift().contains("<INPUTS_DIRECTORY>"), o.drift());
    // an explicit tolerance keeps its meaning: the same run passes when the user sets one
    assertTrue(run("flat-explicit", Tflite.fixture("keras-h5-cnn/digit_classifier.h5"), Tflite.fixture("keras-h5-cnn/official_float32.tflite"), "none",
        0.5, 0.5000001, new Tolerance(1e-4, null, null, null)).report().passed());
  }

  @Test
  void aFailureNamesTheSmallestToleranceThatPassesAndThatToleranceDoes() throws Exception {
    Path rnet = RNet.export(dir.resolve("rnet"));
    ValidateStep.Outcome tight = run("tight", rnet, null, "int8", -1, 1, new Tolerance(1e-6, null, null, null));
    assertFalse(tight.report().passed());
    Matcher suggested = Pattern.compile("smallest tolerance that would pass: <maxAbsError>([0-9.Ee-]+)</maxAbsError>").matcher(tight.drift());
    assertTrue(suggested.find(), tight.drift());
    double limit = Double.parseDouble(suggested.group(1));
    double worst = tight.report().outputs().stream().mapToDouble(OutputDrift::maxAbsError).max().orElseThrow();
    assertTrue(limit >= worst && limit < worst * 1.1, limit + " vs worst " + worst);
    ValidationReport again = run("suggested", rnet, dir.resolve("tight/out/tight.tflite"), "int8", -1, 1, new Tolerance(limit, null, null, null)).report();
    assertTrue(again.passed(), "the suggested tolerance passes the same conversion");
    assertEquals(tight.report().outputs().get(0).maxAbsError(), again.outputs().get(0).maxAbsError());
  }
}
