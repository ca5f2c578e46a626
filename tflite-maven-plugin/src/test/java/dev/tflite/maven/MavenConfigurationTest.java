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
}
