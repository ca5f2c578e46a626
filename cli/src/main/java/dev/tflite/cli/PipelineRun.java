package dev.tflite.cli;

import dev.tflite.pipeline.ConfigurationProblems;
import dev.tflite.pipeline.ConvertStep;
import dev.tflite.pipeline.ModelLog;
import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelPlanner;
import dev.tflite.pipeline.ModelSpec;
import dev.tflite.pipeline.ValidateStep;
import dev.tflite.pipeline.Workspace;
import dev.tflite.validation.report.ReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** One model through the shared pipeline, printed to the console; the commands differ only in which steps they run. */
final class PipelineRun implements AutoCloseable {
  static final String VERSION = "tflite-cli 0.1.0";

  private static final ModelLog.Sink CONSOLE = new ModelLog.Sink() {
    public void info(String text) {
      System.out.println(text);
    }

    public void warn(String text) {
      System.out.println("warning: " + text);
    }

    public void error(String text) {
      System.err.println("error: " + text);
    }
  };

  private final ModelPlan plan;
  private final Path workDirectory;
  private final boolean temporaryWork;
  private final Path reportDirectory;

  /** {@code spec.output} is the .tflite to write or to check. */
  PipelineRun(ModelSpec spec, Path workDirectory, Path reportDirectory) throws ConfigurationProblems, IOException {
    this.plan = new ModelPlanner(new CliSpelling(), "tflite-cli").plan(List.of(spec), Path.of("").toAbsolutePath(),
        spec.output.toAbsolutePath().getParent()).get(0);
    this.temporaryWork = workDirectory == null;
    this.workDirectory = workDirectory != null ? workDirectory : Files.createTempDirectory("tflite-work");
    this.reportDirectory = reportDirectory;
  }

  /** What a command does with the planned model; returns the exit code. */
  interface Steps {
    int run(PipelineRun run) throws IOException;
  }

  /**
   * Plans {@code spec} (filled by {@code fill}), runs {@code steps} and turns every expected failure into a message on
   * stderr and exit code 1; the temporary work folder is removed afterwards.
   */
  static int execute(ModelSpec spec, Runnable fill, Path workDirectory, Path reportDirectory, Steps steps) {
    try {
      fill.run();
      try (PipelineRun run = new PipelineRun(spec, workDirectory, reportDirectory)) {
        return steps.run(run);
      }
    } catch (ConfigurationProblems | IllegalArgumentException | IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** The model's name: the output file's name without {@code .tflite}. */
  static String modelName(Path output) {
    return output.getFileName().toString().replaceFirst("\\.tflite$", "");
  }

  private Workspace workspace() {
    return new Workspace(workDirectory, reportDirectory, null, VERSION);
  }

  /** Converts; true when it succeeded. */
  boolean convert() {
    ConvertStep.Outcome o = new ConvertStep(workspace(), new CliSpelling()).run(plan);
    o.log().printTo(CONSOLE);
    System.out.println(o.summary());
    if (o.result() != null) {
      // the CLI's one-line result, kept in the form scripts already read: file, mode, size, weights, op census
      var r = o.result();
      System.out.printf(java.util.Locale.ROOT, "%s: %s, %d bytes (weights %d -> %d bytes), ops %s%n", plan.conversion().output(),
          r.quantization().configName(), r.sizeBytes(), r.floatWeightBytes(), r.storedWeightBytes(), r.opCounts());
    }
    return !o.failed();
  }

  /** Validates and writes the reports; 0 passed, 1 drift or error. */
  int validate() throws IOException {
    ValidateStep.Outcome o = new ValidateStep(workspace(), new CliSpelling(), file -> {}).run(plan);
    o.log().printTo(CONSOLE);
    if (o.report() == null) {
      return 1;
    }
    ReportWriter.writeIndex(reportDirectory, List.of(o.report()));
    System.out.println((o.report().passed() ? "PASSED" : "FAILED") + ", report " + reportDirectory.resolve(plan.name() + ".json"));
    return o.report().passed() ? 0 : 1;
  }

  @Override
  public void close() {
    if (!temporaryWork) {
      return;
    }
    try (Stream<Path> files = Files.walk(workDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
