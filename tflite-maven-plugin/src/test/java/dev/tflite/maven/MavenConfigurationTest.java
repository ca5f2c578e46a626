package dev.tflite.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.pipeline.ConfigurationProblems;
import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelPlanner;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POM {@code <model>} elements through the shared planner: problems are spelled as POM elements. */
class MavenConfigurationTest {
  @TempDir
  Path basedir;

  private static List<ModelPlan> plan(List<ModelConfig> models, File basedir, File output) throws ConfigurationProblems {
    return new ModelPlanner(new MavenSpelling(), "tflite-maven-plugin").plan(models.stream().map(ModelConfig::toSpec).toList(), basedir.toPath(),
        output.toPath());
  }

  private ModelConfig model(String name, File source) {
    ModelConfig m = new ModelConfig();
    m.name = name;
    m.source = source;
    return m;
  }

  @Test
  void everyProblemOfEveryModelIsReportedAtOnce() throws Exception {
    File present = Files.createDirectories(basedir.resolve("models/ok")).toFile();
    ModelConfig badMode = model("a", present);
    badMode.quantization = "int4";
    ModelConfig badShape = model("b", present);
    badShape.inputShapes = Map.of("x", "1,?,3");
    ModelConfig duplicate = model("a", basedir.resolve("missing").toFile());
    ConfigurationProblems e = assertThrows(ConfigurationProblems.class,
        () -> plan(List.of(badMode, badShape, duplicate), basedir.toFile(), basedir.resolve("out").toFile()));
    String message = e.getMessage();
    assertTrue(message.contains("(4 problem(s))"), message);
    assertTrue(message.contains("<quantization>int4</quantization> is not a quantization mode; choose one of [none, dynamic-range, float16, weight-only-int8, int8, int16x8]"), message);
    assertTrue(message.contains("<inputShapes>/<x>1,?,3</x> is not a shape"), message);
    assertTrue(message.contains("<name>a</name> is used by another model"), message);
    assertTrue(message.contains("<source>missing</source> does not exist"), message);
  }

  @Test
  void validConfigurationBecomesRequestsWithRelativeReportPaths() throws Exception {
    File source = Files.createDirectories(basedir.resolve("src/main/models/rnet")).toFile();
    ModelConfig m = model("rnet", source);
    m.inputShapes = Map.of("input", "1, 24,24 ,3");
    ModelPlan plan = plan(List.of(m), basedir.toFile(), basedir.resolve("target/tflite").toFile()).get(0);
    assertEquals(basedir.resolve("target/tflite/rnet.tflite"), plan.conversion().output());
    assertArrayEquals(new long[] {1, 24, 24, 3}, plan.conversion().inputShapes().get("input"));
    assertEquals("src/main/models/rnet", plan.validation().sourceLabel());
    assertEquals("dynamic-range", plan.validation().quantization());
    assertEquals(dev.tflite.validation.compare.Tolerance.defaultFor("dynamic-range"), plan.validation().tolerance(), "no <tolerance>: the mode's default");
    assertEquals(20.0, plan.validation().tolerance().minSnrDb());
  }

  @Test
  void modelNamesCannotEscapeTheOutputDirectory() {
    for (String name : List.of("../x", "a/b", "..", ".hidden", "a\\b")) {
      assertThrows(ConfigurationProblems.class,
          () -> plan(List.of(model(name, basedir.toFile())), basedir.toFile(), basedir.toFile()), name);
    }
  }

  @Test
  void metadataAndBaselineProblemsAreSpelledAsPomElements() throws Exception {
    File source = Files.createDirectories(basedir.resolve("src/main/models/flowers")).toFile();
    ModelConfig m = model("flowers", source);
    m.metadata = new ModelConfig.MetadataConfig();
    ModelConfig.InputMetadataConfig in = new ModelConfig.InputMetadataConfig();
    in.name = "image";
    in.content = "image";
    in.colorSpace = "BGR";
    in.mean = "127.5;127.5";
    ModelConfig.OutputMetadataConfig out = new ModelConfig.OutputMetadataConfig();
    out.name = "predictions";
    out.labels = basedir.resolve("src/main/models/labels.txt").toFile();
    m.metadata.inputs = List.of(in);
    m.metadata.outputs = List.of(out);
    m.baselineTolerance = new ModelConfig.ToleranceConfig();
    ConfigurationProblems e = assertThrows(ConfigurationProblems.class, () -> plan(List.of(m), basedir.toFile(), basedir.resolve("out").toFile()));
    String message = e.getMessage();
    assertTrue(message.contains("(4 problem(s))"), message);
    assertTrue(message.contains("<metadata>/<inputs>/<input> 'image': <colorSpace>BGR</colorSpace> is not a color space; choose RGB or GRAYSCALE"), message);
    assertTrue(message.contains("<metadata>/<inputs>/<input> 'image': <mean>127.5;127.5</mean> is not a number"), message);
    assertTrue(message.contains("<metadata>/<outputs>/<output> 'predictions': <labels>src/main/models/labels.txt</labels> does not exist"), message);
    assertTrue(message.contains("<baselineTolerance> needs a <baseline>"), message);
  }

  @Test
  void metadataAndBaselineReachThePlan() throws Exception {
    File source = Files.createDirectories(basedir.resolve("src/main/models/flowers")).toFile();
    Files.writeString(basedir.resolve("labels.txt"), "a\nb\n");
    ModelConfig m = model("flowers", source);
    m.metadata = new ModelConfig.MetadataConfig();
    m.metadata.name = "Flowers";
    m.metadata.version = "2";
    ModelConfig.InputMetadataConfig in = new ModelConfig.InputMetadataConfig();
    in.mean = "123.7, 116.3,103.5";
    in.std = "58.4";
    ModelConfig.OutputMetadataConfig out = new ModelConfig.OutputMetadataConfig();
    out.labels = basedir.resolve("labels.txt").toFile();
    m.metadata.inputs = List.of(in);
    m.metadata.outputs = List.of(out);
    m.baseline = basedir.resolve("src/main/baseline/flowers-1.tflite").toFile();
    ModelPlan plan = plan(List.of(m), basedir.toFile(), basedir.resolve("out").toFile()).get(0);
    assertEquals("Flowers", plan.conversion().metadata().name());
    assertArrayEquals(new float[] {123.7f, 116.3f, 103.5f}, plan.conversion().metadata().inputs().get(0).mean());
    assertEquals(null, plan.conversion().metadata().inputs().get(0).tensor(), "no <name>: the only input");
    assertEquals("src/main/baseline/flowers-1.tflite", plan.baseline().label());
    assertEquals(null, plan.baseline().tolerance());
  }
}
