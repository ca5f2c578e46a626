package dev.tflite.cli;

import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ConsoleTable;
import dev.tflite.validation.report.ReportWriter;
import dev.tflite.validation.report.ValidationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code validate}: the original against the converted model, with the plugin's reports and exit code 1 on drift. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Compare a converted .tflite with its original and write the drift report.")
final class ValidateCommand implements Callable<Integer> {
  @Option(names = "--source", required = true, description = "the original: SavedModel directory, frozen .pb, or a .tflite")
  Path source;

  @Option(names = "--tflite", required = true, description = "the converted model")
  Path tflite;

  @Option(names = "--name", description = "model name in the report (default: the .tflite file name)")
  String name;

  @Option(names = "--tag", description = "MetaGraph tag (repeatable; default serve)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--samples", defaultValue = "32")
  int samples;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--range", defaultValue = "0,1", description = "min,max of the random inputs (default ${DEFAULT-VALUE})")
  String range;

  @Option(names = "--max-abs-error")
  Double maxAbsError;

  @Option(names = "--mean-abs-error")
  Double meanAbsError;

  @Option(names = "--rmse")
  Double rmse;

  @Option(names = "--min-cosine")
  Double minCosine;

  @Option(names = "--batch-sizes", defaultValue = "1", split = ",", description = "batch sizes to run, e.g. 1,4 (default ${DEFAULT-VALUE})")
  List<Integer> batchSizes = new ArrayList<>();

  @Option(names = "--oldest-runtime-samples", defaultValue = "1",
      description = "first samples also run in TensorFlow Lite 2.6.2, the oldest runtime supported; 0 only checks that the file loads there (default ${DEFAULT-VALUE})")
  int oldestRuntimeSamples;

  @Option(names = "--report-dir", defaultValue = "tflite-reports")
  Path reportDir;

  @Override
  public Integer call() {
    try {
      String[] bounds = range.split(",");
      String model = name != null ? name : tflite.getFileName().toString().replaceFirst("\\.tflite$", "");
      Tolerance tolerance = maxAbsError == null && meanAbsError == null && rmse == null && minCosine == null
          ? Tolerance.defaultFor(true) : new Tolerance(maxAbsError, meanAbsError, rmse, minCosine);
      ValidationReport report = new ModelValidator().validate(new ValidationRequest(model, source, source.getFileName().toString(),
          tags.isEmpty() ? List.of("serve") : tags, tflite, "unknown", samples, seed, Double.parseDouble(bounds[0]), Double.parseDouble(bounds[1]), tolerance),
          new dev.tflite.validation.ValidationOptions(null, java.util.Map.of(), null, null, batchSizes, oldestRuntimeSamples));
      Path json = ReportWriter.write(reportDir, report);
      ReportWriter.writeIndex(reportDir, List.of(report));
      ConsoleTable.lines(report).forEach(System.out::println);
      report.diagnostics().forEach(d -> System.out.println("note: " + d));
      System.out.println((report.passed() ? "PASSED" : "FAILED") + ", report " + json);
      return report.passed() ? 0 : 1;
    } catch (ValidationException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("error: cannot write the report to " + reportDir + ": " + e.getMessage());
      return 1;
    }
  }
}
