package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;
import dev.tflite.validation.compare.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** How the converted model is checked: the options of a POM {@code <model>} that validation uses. */
final class ValidationSettings {
  @Option(names = "--samples", defaultValue = "32", description = "seeded random samples run through both models (default ${DEFAULT-VALUE})")
  int samples;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--range", description = "min,max of the random inputs (default: the calibration range, else 0,1)")
  String range;

  @Option(names = "--max-abs-error", description = "largest allowed element-wise absolute difference")
  Double maxAbsError;

  @Option(names = "--mean-abs-error")
  Double meanAbsError;

  @Option(names = "--rmse")
  Double rmse;

  @Option(names = "--p99-abs-error", description = "largest allowed 99th-percentile absolute difference")
  Double p99AbsError;

  @Option(names = "--relative-error", description = "largest allowed max abs difference over the largest reference magnitude")
  Double relativeError;

  @Option(names = "--min-cosine", description = "smallest allowed cosine similarity")
  Double minCosine;

  @Option(names = "--min-snr-db", description = "smallest allowed signal-to-noise ratio in dB")
  Double minSnrDb;

  @Option(names = "--min-top1", description = "smallest allowed share of samples whose top-1 class agrees")
  Double minTop1;

  @Option(names = "--max-abs-error-in-steps", description = "largest allowed max abs difference in quantization steps (integer outputs)")
  Double maxAbsErrorInSteps;

  @Option(names = "--min-reference-spread",
      description = "smallest allowed spread of the original's output over the samples, relative to its magnitude (default tolerances: 1e-5)")
  Double minReferenceSpread;

  @Option(names = "--output-tolerance",
      description = "a tolerance for one output, replacing the model's: output:metric=value[,metric=value], e.g. score:maxAbsError=0.1 (repeatable)")
  List<String> outputTolerances = new ArrayList<>();

  @Option(names = "--batch-sizes", split = ",", description = "batch sizes to run, e.g. 1,4 (default 1)")
  List<Integer> batchSizes = new ArrayList<>();

  @Option(names = "--oldest-runtime-samples", defaultValue = "1",
      description = "first samples also run in TensorFlow Lite 2.6.2, the oldest runtime supported; 0 only checks that the file loads there (default ${DEFAULT-VALUE})")
  int oldestRuntimeSamples;

  @Option(names = "--inputs", description = "folder of .npy files or images to feed instead of random inputs")
  Path inputs;

  @Option(names = "--image-scale", defaultValue = "0.00392156862745098", description = "images are fed as pixel * scale + offset (default 1/255)")
  double imageScale;

  @Option(names = "--image-offset", defaultValue = "0")
  double imageOffset;

  @Option(names = "--golden", description = "folder of golden outputs: with --golden-mode record writes them, with check compares against them")
  Path golden;

  @Option(names = "--golden-mode", description = "record | check")
  String goldenMode;

  @Option(names = "--report-dir", defaultValue = "tflite-reports", description = "where the JSON and HTML reports go (default ${DEFAULT-VALUE})")
  Path reportDir;

  @Option(names = "--work-dir", description = "keep the converter's debug artifacts (per-layer drift) here instead of a temporary folder")
  Path workDir;

  @Option(names = "--baseline", description = "the previous release's .tflite: the new model is compared with it on the same inputs"
      + " (a missing file is a first release: noted, not an error)")
  Path baseline;

  @Option(names = "--baseline-tolerance",
      description = "how far the new model may move from --baseline: metric=value[,metric=value], e.g. minTop1Agreement=0.95 (default: report only)")
  String baselineTolerance;

  /** Fills the validation part of {@code spec}. */
  void applyTo(ModelSpec spec) {
    spec.samples = samples;
    spec.seed = seed;
    spec.inputRange = range == null ? null : Ranges.parse("--range", range);
    if (maxAbsError != null || meanAbsError != null || rmse != null || p99AbsError != null || relativeError != null || minCosine != null
        || minSnrDb != null || minTop1 != null || maxAbsErrorInSteps != null || minReferenceSpread != null) {
      spec.tolerance = new Tolerance(maxAbsError, meanAbsError, rmse, p99AbsError, relativeError, minCosine, minSnrDb, minTop1, maxAbsErrorInSteps,
          minReferenceSpread);
    }
    Map<String, Tolerance> perOutput = new TreeMap<>();
    for (String entry : outputTolerances) {
      int colon = entry.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("--output-tolerance " + entry + ": write output:metric=value, e.g. score:maxAbsError=0.1");
      }
      perOutput.put(entry.substring(0, colon), tolerance("--output-tolerance " + entry, entry.substring(colon + 1)));
    }
    spec.outputTolerances = perOutput;
    spec.batchSizes = batchSizes;
    spec.oldestRuntimeSamples = oldestRuntimeSamples;
    spec.inputs = inputs == null ? null : new ModelSpec.Inputs(inputs, imageScale, imageOffset);
    spec.golden = golden == null ? null : new ModelSpec.Golden(golden, goldenMode);
    spec.baseline = baseline;
    spec.baselineTolerance = baselineTolerance == null ? null : tolerance("--baseline-tolerance " + baselineTolerance, baselineTolerance);
  }

  /** {@code metric=value,...} with the metric names of the POM's {@code <tolerance>} elements. */
  static Tolerance tolerance(String where, String text) {
    Map<String, Double> limits = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      try {
        limits.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where + ": '" + part + "' is not metric=value");
      }
    }
    Tolerance t = new Tolerance(limits.remove("maxAbsError"), limits.remove("meanAbsError"), limits.remove("rmse"), limits.remove("p99AbsError"),
        limits.remove("relativeError"), limits.remove("minCosineSimilarity"), limits.remove("minSnrDb"), limits.remove("minTop1Agreement"),
        limits.remove("maxAbsErrorInSteps"), limits.remove("minReferenceSpread"));
    if (!limits.isEmpty()) {
      throw new IllegalArgumentException(where + ": unknown metric(s) " + limits.keySet() + "; use maxAbsError, meanAbsError, rmse, p99AbsError,"
          + " relativeError, minCosineSimilarity, minSnrDb, minTop1Agreement, maxAbsErrorInSteps or minReferenceSpread");
    }
    return t;
  }
}
