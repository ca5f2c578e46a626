package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.pipeline.ConfigurationProblems;
import dev.tflite.pipeline.ConvertStep;
import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelPlanner;
import dev.tflite.pipeline.ModelSpec;
import dev.tflite.pipeline.ValidateStep;
import dev.tflite.pipeline.Workspace;
import dev.tflite.pipeline.incremental.BuildCache;
import dev.tflite.testmodels.MobileNetStyle;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.BaselineReport;
import dev.tflite.validation.report.EmbeddedMetadata;
import dev.tflite.validation.report.HtmlReport;
import dev.tflite.validation.report.JsonReport;
import dev.tflite.validation.report.LabeledOutput;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release as an app team makes it, through the pipeline the plugin and the CLI share: an image classifier with
 * normalization and labels in its metadata, the report reading its outputs through the labels, and a second version
 * gated against the first file (drift per output, size, op census and latency ratios), a first release without a
 * baseline, and metadata settings that do not fit, spelled as a POM writes them.
 */
class ReleaseGateTest {
  static final String LABELS = "daisy\ndandelion\nroses\nsunflowers\ntulips\n";

  @TempDir
  static Path dir;
  static Path model;
  static Path labels;

  @BeforeAll
  static void export() throws Exception {
    model = MobileNetStyle.export(dir.resolve("classifier"), 32, 1, 5);
    labels = Files.writeString(dir.resolve("labels.txt"), LABELS);
  }

  static ModelSpec spec(String name, String mode, Path labelsFile) {
    ModelSpec s = new ModelSpec();
    s.name = name;
    s.source = model;
    s.quantization = mode;
    s.inputRange = new ModelSpec.Range(-1, 1); // as the release-gate IT configures it: normalized images
    s.metadata = new ModelSpec.Metadata("Flowers", "Five flower classes", "2.0", "tests", "Apache-2.0",
        List.of(new ModelSpec.InputMetadata(null, "image", "RGB", "127.5", "127.5", new ModelSpec.Range(0, 255), null)),
        List.of(new ModelSpec.OutputMetadata("predictions", "features", labelsFile, new ModelSpec.Range(0, 1))));
    return s;
  }

  static Workspace workspace(String name, boolean incremental) {
    Path work = dir.resolve("runs").resolve(name);
    return new Workspace(work.resolve("work"), work.resolve("reports"), incremental ? new BuildCache(work.resolve("cache")) : null, "test");
  }

  static ValidateStep.Outcome convertAndValidate(ModelSpec spec, Workspace workspace) throws Exception {
    ModelPlan plan = new ModelPlanner(DefaultToleranceTest.POM, "test").plan(List.of(spec), dir, dir.resolve("out")).get(0);
    ConvertStep.Outcome converted = new ConvertStep(workspace, DefaultToleranceTest.POM).run(plan);
    assertFalse(converted.failed(), converted::failure);
    ValidateStep.Outcome outcome = new ValidateStep(workspace, DefaultToleranceTest.POM, file -> {}).run(plan);
    assertNotNull(outcome.report(), () -> "validation ran: " + outcome.error());
    return outcome;
  }

  @Test
  void secondReleaseIsGatedAgainstTheFirstFile() throws Exception {
    ModelSpec first = spec("flowers-1", "none", labels);
    first.baseline = dir.resolve("releases/none-yet.tflite");
    ValidationReport v1 = convertAndValidate(first, workspace("v1", false)).report();
    assertTrue(v1.passed());
    assertEquals("no baseline at releases/none-yet.tflite: a first release, nothing to compare with yet", v1.baseline().note());

    // the report shows the metadata the extractor reads, and names top-1 classes with the packed labels
    EmbeddedMetadata m = v1.metadata();
    assertEquals("Flowers", m.name());
    assertEquals("2.0", m.version());
    assertEquals(List.of("labels.txt"), m.associatedFiles());
    assertEquals("RGB", m.inputs().get(0).colorSpace());
    assertEquals(List.of("daisy", "dandelion", "roses", "sunflowers", "tulips"), m.outputs().get(0).labels());
    LabeledOutput labeled = v1.labeledOutputs().get(0);
    assertEquals(5, labeled.firstSamples().size());
    assertTrue(LABELS.contains(labeled.firstSamples().get(0).reference()));
    assertEquals(v1.outputs().get(0).top1Agreement(), labeled.top1Agreement());

    ModelSpec second = spec("flowers-2", "dynamic-range", labels);
    second.baseline = dir.resolve("out/flowers-1.tflite");
    second.baselineTolerance = new Tolerance(null, null, null, null, null, 0.99, null, 0.9, null, null); // the IT's gate
    ValidateStep.Outcome gated = convertAndValidate(second, workspace("v2", false));
    BaselineReport b = gated.report().baseline();
    assertNull(b.note());
    assertTrue(b.passed(), gated::drift);
    assertTrue(gated.report().passed(), gated::drift);
    // int8 weights: the file shrinks (this small model keeps its small tensors in float, hence not 1/4); same graph:
    // the comparison covers the one output
    assertTrue(b.sizeRatio() < 0.9, "size ratio " + b.sizeRatio());
    assertTrue(b.latencyRatio() > 0);
    assertEquals(List.of("predictions"), b.outputs().stream().map(BaselineReport.Output::name).toList());
    assertTrue(b.outputs().get(0).maxAbsError() > 0, "dynamic-range moves the outputs from the float release");
    String html = HtmlReport.render(gated.report());
    assertTrue(html.contains("id=\"baseline\"") && html.contains("id=\"metadata\""));
    assertTrue(JsonReport.toJson(gated.report()).contains("\"sizeRatio\""));

    // a gate tighter than the change fails the build, naming the setting to look at
    ModelSpec strict = spec("flowers-2-strict", "dynamic-range", labels);
    strict.baseline = second.baseline;
    strict.baselineTolerance = new Tolerance(1e-9, null, null, null, null, null, null, null, null, null);
    ValidateStep.Outcome failed = convertAndValidate(strict, workspace("v2-strict", false));
    assertFalse(failed.report().passed());
    assertTrue(failed.drift().contains("against the baseline out/flowers-1.tflite: maxAbsError"), failed.drift());
    assertTrue(failed.drift().contains("than <BASELINE_TOLERANCE> allows"), failed.drift()); // the test spelling
  }

  @Test
  void theGatePassesAnUnchangedRebuildAndCatchesOneChangedWeight() throws Exception {
    ValidationReport base = convertAndValidate(spec("gate-base", "none", labels), workspace("gate-base", false)).report();
    assertTrue(base.passed());
    Path released = dir.resolve("out/gate-base.tflite");
    Tolerance exact = new Tolerance(0.0, null, null, null, null, null, null, null, null, null); // a rebuild must not move an output at all

    // the same model and settings built again: byte-identical, so the gate passes even at zero tolerance
    ModelSpec rebuild = spec("gate-rebuild", "none", labels);
    rebuild.baseline = released;
    rebuild.baselineTolerance = exact;
    ValidateStep.Outcome same = convertAndValidate(rebuild, workspace("gate-rebuild", false));
    assertTrue(same.report().baseline().passed(), same::drift);
    assertEquals(0.0, same.report().baseline().outputs().get(0).maxAbsError());

    // one weight of the released file changed: the gate names the drift against the baseline
    byte[] bytes = Files.readAllBytes(released);
    int offset = firstConvWeight(bytes);
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(offset,
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(offset) + 0.5f);
    Path changed = Files.write(dir.resolve("out/gate-changed.tflite"), bytes);
    ModelSpec gated = spec("gate-changed", "none", labels);
    gated.output = changed;
    gated.baseline = released;
    gated.baselineTolerance = exact;
    ModelPlan plan = new ModelPlanner(DefaultToleranceTest.POM, "test").plan(List.of(gated), dir, dir.resolve("out")).get(0);
    ValidateStep.Outcome outcome = new ValidateStep(workspace("gate-changed", false), DefaultToleranceTest.POM, file -> {}).run(plan);
    assertNotNull(outcome.report(), () -> "validation ran: " + outcome.error());
    assertFalse(outcome.report().baseline().passed(), "one changed weight is caught");
    assertTrue(outcome.report().baseline().outputs().get(0).maxAbsError() > 0);
    assertTrue(outcome.drift().contains("against the baseline out/gate-base.tflite"), outcome.drift());
  }

  /** The byte offset of the first weight of the file's first CONV_2D (its filter is operand 1). */
  private static int firstConvWeight(byte[] tflite) {
    org.tensorflow.lite.schema.Model model = org.tensorflow.lite.schema.Model.getRootAsModel(java.nio.ByteBuffer.wrap(tflite));
    org.tensorflow.lite.schema.SubGraph graph = model.subgraphs(0);
    for (int i = 0; i < graph.operatorsLength(); i++) {
      org.tensorflow.lite.schema.Operator op = graph.operators(i);
      if (model.operatorCodes((int) op.opcodeIndex()).builtinCode() == org.tensorflow.lite.schema.BuiltinOperator.CONV_2D) {
        java.nio.ByteBuffer data = model.buffers((int) graph.tensors(op.inputs(1)).buffer()).dataAsByteBuffer();
        return data.position();
      }
    }
    throw new AssertionError("no CONV_2D in the released file");
  }

  @Test
  void metadataAndLabelsAreInTheIncrementalFingerprint() throws Exception {
    Path ownLabels = Files.writeString(dir.resolve("own-labels.txt"), LABELS);
    Workspace workspace = workspace("incremental", true);
    ModelSpec s = spec("flowers-inc", "none", ownLabels);
    ModelPlan plan = new ModelPlanner(DefaultToleranceTest.POM, "test").plan(List.of(s), dir, dir.resolve("out")).get(0);
    assertFalse(new ConvertStep(workspace, DefaultToleranceTest.POM).run(plan).summary().endsWith("up to date"));
    byte[] before = Files.readAllBytes(plan.conversion().output());
    assertTrue(new ConvertStep(workspace, DefaultToleranceTest.POM).run(plan).summary().endsWith("up to date"));
    Files.writeString(ownLabels, LABELS.replace("roses", "rose"));
    assertFalse(new ConvertStep(workspace, DefaultToleranceTest.POM).run(plan).summary().endsWith("up to date"), "changed labels reconvert");
    assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(plan.conversion().output())));
    s.metadata = new ModelSpec.Metadata("Flowers", "Five flower classes", "2.1", "tests", "Apache-2.0", s.metadata.inputs(), s.metadata.outputs());
    ModelPlan newVersion = new ModelPlanner(DefaultToleranceTest.POM, "test").plan(List.of(s), dir, dir.resolve("out")).get(0);
    assertFalse(new ConvertStep(workspace, DefaultToleranceTest.POM).run(newVersion).summary().endsWith("up to date"), "a new version reconverts");
  }

  @Test
  void badMetadataIsAConfigurationErrorNamingTheSetting() throws Exception {
    ModelSpec missing = spec("flowers-missing", "none", dir.resolve("no-such-labels.txt"));
    missing.metadata = new ModelSpec.Metadata(null, null, null, null, null,
        List.of(new ModelSpec.InputMetadata("image", "picture", "CMYK", "1,x", null, null, null)), missing.metadata.outputs());
    ConfigurationProblems p = assertThrows(ConfigurationProblems.class,
        () -> new ModelPlanner(DefaultToleranceTest.POM, "test").plan(List.of(missing), dir, dir.resolve("out")));
    assertEquals(4, p.problems().size(), p.getMessage());
    assertTrue(p.getMessage().contains("<predictions>no-such-labels.txt</predictions> does not exist"), p.getMessage());
    assertTrue(p.getMessage().contains("<image>picture</image> is not a content type"), p.getMessage());
    assertTrue(p.getMessage().contains("<image>CMYK</image> is not a color space"), p.getMessage());
    assertTrue(p.getMessage().contains("<image>1,x</image> is not a number"), p.getMessage());

    Path threeLabels = Files.writeString(dir.resolve("three.txt"), "a\nb\nc\n");
    ModelSpec mismatch = spec("flowers-mismatch", "none", threeLabels);
    mismatch.metadata = new ModelSpec.Metadata(null, null, null, null, null,
        List.of(new ModelSpec.InputMetadata(null, "image", "RGB", "127.5,127.5", null, null, null)), mismatch.metadata.outputs());
    ModelPlan plan = new ModelPlanner(DefaultToleranceTest.POM, "test").plan(List.of(mismatch), dir, dir.resolve("out")).get(0);
    ConvertStep.Outcome o = new ConvertStep(workspace("mismatch", false), DefaultToleranceTest.POM).run(plan);
    assertTrue(o.failed());
    assertTrue(o.failure().contains("<image>127.5,127.5</image> has 2 values but input 'image' has 3 channels"), o.failure());
    assertTrue(o.failure().contains("has 3 lines but output 'predictions' has 5 classes"), o.failure());
    assertFalse(Files.exists(plan.conversion().output()));
  }
}
