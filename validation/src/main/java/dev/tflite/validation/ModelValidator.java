package dev.tflite.validation;

import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorFlowRunner;
import dev.tflite.runtime.TensorType;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.compare.DriftAccumulator;
import dev.tflite.validation.compare.Metrics;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.match.PortMatch;
import dev.tflite.validation.match.PortMatching;
import dev.tflite.validation.match.PortMismatchException;
import dev.tflite.validation.report.BaselineReport;
import dev.tflite.validation.report.EmbeddedMetadata;
import dev.tflite.validation.report.Histogram;
import dev.tflite.validation.report.LayerDrift;
import dev.tflite.validation.report.ModelFacts;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.PortPairing;
import dev.tflite.validation.report.ValidationReport;
import dev.tflite.validation.run.DilatedConvolutions;
import dev.tflite.validation.run.GoldenOutputs;
import dev.tflite.validation.run.InputFolderReader;
import dev.tflite.validation.run.InputGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.TensorFlow;

/**
 * Runs the original model in TensorFlow and the converted one in the TensorFlow Lite interpreter on the same seeded
 * inputs, pairs its inputs and outputs with the original's (by SignatureDef name; for a file without one, as older
 * converters wrote them, by tensor name or else by position: {@link PortMatcher}) and measures drift against the
 * tolerance. Integer inputs and outputs are quantized and dequantized with the file's own parameters. The converted file must also
 * load in the oldest runtime the converter writes for, and the first samples run there too, held to the same
 * tolerance: kernels differ between runtime versions, and a file can be right in one and wrong in another. With the
 * converter's debug artifacts it also separates conversion from quantization error and localizes drift per layer.
 */
public final class ModelValidator {
  /** Per-layer comparison runs on at most this many samples (it fetches every layer). */
  static final int LAYER_SAMPLES = 8;

  private final RuntimeTimer runtime;

  public ModelValidator() {
    this(new RuntimeTimer());
  }

  /** {@code runtime} accumulates the time spent in runtime calls (for benchmarks). */
  public ModelValidator(RuntimeTimer runtime) {
    this.runtime = runtime;
  }

  public ValidationReport validate(ValidationRequest request) {
    return validate(request, ValidationOptions.defaults());
  }

  public ValidationReport validate(ValidationRequest request, ValidationOptions options) {
    Path debugDirectory = options.debugDirectory();
    String prefix = "model '" + request.modelName() + "': ";
    if (!Files.isRegularFile(request.tflite())) {
      throw new ValidationException(prefix + "the converted model " + request.tflite() + " does not exist; run the convert goal first");
    }
    Path floatModel = debugDirectory == null ? null : debugDirectory.resolve(request.modelName() + ".float.tflite");
    boolean frozenReference = referenceIsFrozenGraph(request, debugDirectory);
    boolean threeWay = floatModel != null && Files.isRegularFile(floatModel) && !request.quantization().equals("none");
    String minRuntime = declaredMinRuntime(request.tflite());
    boolean needsNewer = minRuntime != null && newerThanOldest(minRuntime);
    try (TfLite26Runner oldest = needsNewer ? null : runtime.time(() -> openOldest(request.tflite(), prefix));
        TfLiteRunner candidate = runtime.time(() -> openTfLite(request.tflite(), prefix));
        ModelRunner original = runtime.time(() -> options.golden() != null && options.golden().mode() == ValidationOptions.Golden.Mode.CHECK
            ? GoldenOutputs.replay(options.golden().directory(), candidate.inputSpecs(), candidate.outputSpecs())
            : isKeras(request) ? FrozenGraphReference.forKeras(debugDirectory, request.modelName(), prefix)
            : frozenReference ? FrozenGraphReference.open(debugDirectory, request.modelName(), prefix)
            : openReference(request, candidate.signatureKey(), prefix))) {
      PortMatching matching = match(candidate, original, prefix);
      ModelRunner reference = matching.underCandidateNames(original);
      // the debug artifacts describe this plugin's conversion: they apply only to a file that speaks the original's signature
      boolean ownConversion = matching.allBySignature();
      try (TfLiteRunner floatCandidate = threeWay && ownConversion ? runtime.time(() -> openTfLite(floatModel, prefix)) : null) {
        return compare(request, options, prefix, oldest, candidate, reference, floatCandidate, matching, ownConversion ? debugDirectory : null);
      }
    } catch (IOException e) {
      throw new ValidationException(prefix + "cannot read " + request.tflite() + " or its debug artifacts: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new ValidationException(prefix + e.getMessage(), e);
    }
  }

  private ValidationReport compare(ValidationRequest request, ValidationOptions options, String prefix, TfLite26Runner oldest, TfLiteRunner candidate,
      ModelRunner reference, TfLiteRunner floatCandidate, PortMatching matching, Path debugDirectory) throws IOException {
    Map<String, Tolerance> outputTolerances = options.outputTolerances();
    boolean threeWay = floatCandidate != null;
    TfLiteRunner.Port[] inputs = candidate.inputs();
    TfLiteRunner.Port[] outputs = candidate.outputs();
    List<NamedTensors> samples = options.inputs() != null ? InputFolderReader.read(options.inputs(), inputs, request.samples())
        : InputGenerator.uniform(inputs, request.samples(), request.seed(), request.inputMin(), request.inputMax());
    boolean recordGolden = options.golden() != null && options.golden().mode() == ValidationOptions.Golden.Mode.RECORD;
    int sampleIndex = 0;
    Map<String, DriftAccumulator> total = accumulators(outputs);
    Map<String, DriftAccumulator> conversion = accumulators(outputs);
    Map<String, DriftAccumulator> quantization = accumulators(outputs);
    Map<String, DriftAccumulator> inOldest = accumulators(outputs);
    // a file whose min_runtime_version is newer than 2.6 (a newer <targetRuntime>) is not opened in 2.6.2 at all
    int oldestSamples = oldest == null ? 0 : Math.min(options.oldestRuntimeSamples(), samples.size());
    List<NamedTensors> oldestExpected = new ArrayList<>();
    OutputVariation variation = new OutputVariation();
    List<NamedTensors> runs = new java.util.ArrayList<>(samples);
    List<String> notes = new java.util.ArrayList<>();
    if (oldest == null) {
      notes.add("the oldest-runtime check (TensorFlow Lite " + TfLite26Runner.VERSION + ") was skipped: the file targets TensorFlow Lite "
          + declaredMinRuntime(request.tflite()) + " (its min_runtime_version, from <targetRuntime>), and was validated in TensorFlow Lite "
          + TfLiteRunner.version() + " instead");
    }
    if (debugDirectory == null && options.debugDirectory() != null && Files.isRegularFile(options.debugDirectory().resolve(request.modelName() + ".layers.json"))) {
      notes.add("per-layer drift and the conversion/quantization split were not measured: the debug artifacts describe this plugin's"
          + " conversion, and the validated .tflite " + (candidate.hasSignature() ? "does not carry the original's signature names" : "has no SignatureDef"));
    }
    // what the conversion chose for the model that a reader of the report should know (a recurrent layer unrolled, not fused)
    LayerComparison.conversionNotes(debugDirectory, request.modelName()).forEach(n -> notes.add("conversion: " + n));
    boolean dynamicBatch = Arrays.stream(inputs).allMatch(TfLiteRunner.Port::dynamicBatch);
    EmbeddedMetadata metadata = EmbeddedMetadata.read(request.tflite());
    LabeledTop1 labeled = new LabeledTop1(metadata);
    List<NamedTensors> candidateOutputs = new ArrayList<>(); // of the batch-1 samples, for the baseline comparison
    for (int batch : options.batchSizes()) {
      if (batch != 1 && dynamicBatch) {
        runs.addAll(InputGenerator.uniform(batched(inputs, batch), request.samples(), request.seed() + batch, request.inputMin(), request.inputMax()));
      } else if (batch != 1) {
        notes.add("batch size " + batch + " was not validated: the converted model has a fixed batch (a constant in the graph depends on it)");
      }
    }
    List<ModelRunner> references = new ArrayList<>(java.util.Collections.nCopies(runs.size(), reference));
    Map<String, int[]> alsoRunAt = new java.util.HashMap<>();
    try (OpenLengthRuns otherLength = debugDirectory == null ? null : OpenLengthRuns.open(debugDirectory, request.modelName(), prefix, matching, inputs);
        OldestRuntimeRun oldestRun = OldestRuntimeRun.start(oldest, samples.subList(0, oldestSamples))) {
      if (otherLength != null) {
        List<NamedTensors> more = InputGenerator.uniform(otherLength.ports(), request.samples(), request.seed() + 17, request.inputMin(), request.inputMax());
        runs.addAll(more);
        references.addAll(java.util.Collections.nCopies(more.size(), otherLength.reference()));
        Arrays.stream(otherLength.ports()).forEach(p -> alsoRunAt.put(p.name(), p.shape()));
      }
      for (int run = 0; run < runs.size(); run++) {
        NamedTensors sample = runs.get(run);
        ModelRunner sampleReference = references.get(run);
        NamedTensors expected = runtime.time(() -> runReference(sampleReference, sample, prefix));
        if (recordGolden) {
          GoldenOutputs.record(options.golden().directory(), sampleIndex, expected);
        }
        sampleIndex++;
        NamedTensors actual = runtime.time(() -> candidate.run(sample));
        requireSameNames(prefix, expected, actual);
        requireSameShapes(prefix, expected, actual);
        variation.add(expected, actual);
        if (sampleIndex <= samples.size()) {
          labeled.add(expected, actual);
          if (options.baseline() != null) {
            candidateOutputs.add(actual);
          }
        }
        total.forEach((name, acc) -> acc.add(expected.get(name).values(), actual.get(name).values()));
        if (sampleIndex <= oldestSamples) {
          oldestExpected.add(expected);
        }
        if (threeWay) {
          NamedTensors asFloat = runtime.time(() -> floatCandidate.run(sample));
          conversion.forEach((name, acc) -> acc.add(expected.get(name).values(), asFloat.get(name).values()));
          quantization.forEach((name, acc) -> acc.add(asFloat.get(name).values(), actual.get(name).values()));
        }
      }
      List<NamedTensors> oldestActual = runtime.time(() -> oldestRun.outputs(prefix));
      for (int i = 0; i < oldestSamples; i++) {
        NamedTensors expected = oldestExpected.get(i);
        NamedTensors old = oldestActual.get(i);
        inOldest.forEach((name, acc) -> acc.add(expected.get(name).values(), old.get(name).values()));
      }
    }
    List<OutputDrift> results = new ArrayList<>();
    for (TfLiteRunner.Port out : outputs) {
      Metrics m = total.get(out.name()).metrics();
      Double step = out.type() == TensorType.FLOAT32 ? null : (double) out.scale();
      Tolerance tolerance = outputTolerances.getOrDefault(out.name(), request.tolerance());
      List<Tolerance.Violation> violations = new ArrayList<>(tolerance.check(m, step));
      OutputDrift.StageDrift oldestDrift = null;
      if (oldestSamples > 0) {
        Metrics old = inOldest.get(out.name()).metrics();
        oldestDrift = OutputDrift.StageDrift.of(old);
        // the spread of the inputs is judged on all samples above, not on the oldest runtime's first few
        tolerance.withoutReferenceSpread().check(old, step).forEach(v -> violations.add(v.in("oldestRuntime")));
      }
      PortMatch match = matching.output(out.name());
      results.add(OutputDrift.of(out.name(), match.by(), match.original().name(), Arrays.stream(out.shape()).asLongStream().toArray(),
          out.type().lowerName(), step, m,
          threeWay ? OutputDrift.StageDrift.of(conversion.get(out.name()).metrics()) : null,
          threeWay ? OutputDrift.StageDrift.of(quantization.get(out.name()).metrics()) : null,
          oldestDrift, tolerance, violations, Histogram.of(total.get(out.name()).errorSample())));
    }
    List<LayerDrift> layers = LayerComparison.compare(debugDirectory, request.modelName(), samples.subList(0, Math.min(LAYER_SAMPLES, samples.size())));
    List<ValidationReport.Port> ports = Arrays.stream(inputs).map(p -> new ValidationReport.Port(p.name(), p.type().lowerName(), p.shape(),
        matching.input(p.name()).by(), matching.input(p.name()).original().name(), alsoRunAt.get(p.name()))).toList();
    // pairing by position is a guess the user should see among the findings; by name it is only reported
    PortPairing.lines(ports, results).stream().filter(l -> l.contains("by " + PortMatch.POSITION)).forEach(notes::add);
    String firstDrifting = layers.stream().filter(LayerDrift::flagged).map(LayerDrift::origin).findFirst().orElse(null);
    ModelFacts facts = ModelFacts.read(request.tflite());
    BaselineReport baseline = options.baseline() == null ? null
        : runtime.time(() -> compareWithBaseline(options.baseline(), request.tflite(), candidate, samples, candidateOutputs, facts, prefix));
    Map<String, Double> top1 = new LinkedHashMap<>();
    results.forEach(o -> top1.put(o.name(), o.top1Agreement()));
    return new ValidationReport(request.modelName(), request.sourceLabel(), request.quantization(),
        results.stream().allMatch(OutputDrift::passed) && (baseline == null || baseline.passed()), Files.size(request.tflite()), candidate.signatureKey(), request.samples(), options.batchSizes(),
        request.seed(), new double[] {request.inputMin(), request.inputMax()}, ports, results, concat(notes, variation.diagnostics()), firstDrifting, layers,
        facts, null,
        new ValidationReport.Runtimes(isTflite(request) ? "TensorFlow Lite " + TfLiteRunner.version() + " (source .tflite)"
            : "TensorFlow " + TensorFlow.version() + (isKeras(request) ? " (Keras layers lowered to TensorFlow ops)"
                : referenceIsFrozenGraph(request, options.debugDirectory()) ? " (the converter's frozen graph, dilated convolutions as SpaceToBatchND)" : ""),
            "TensorFlow Lite " + TfLiteRunner.version() + " (1 thread)", oldest == null ? null : "TensorFlow Lite " + TfLite26Runner.VERSION,
            oldestSamples),
        metadata, labeled.outputs(metadata, top1), baseline);
  }

  private static BaselineReport compareWithBaseline(ValidationOptions.Baseline baseline, Path tflite, TfLiteRunner candidate, List<NamedTensors> samples,
      List<NamedTensors> outputs, ModelFacts facts, String prefix) {
    try {
      return BaselineComparison.compare(baseline, tflite, candidate, samples, outputs, facts);
    } catch (IOException e) {
      throw new ValidationException(prefix + "cannot read the baseline " + baseline.label() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ValidationException(prefix + "the baseline " + baseline.label() + " cannot run in TensorFlow Lite " + TfLiteRunner.version() + ": "
          + e.getMessage() + "; give the previous release's .tflite", e);
    }
  }

  private static PortMatching match(TfLiteRunner candidate, ModelRunner original, String prefix) {
    try {
      return PortMatching.of(candidate.inputSpecs(), candidate.outputSpecs(), candidate.hasSignature(), original);
    } catch (PortMismatchException e) {
      throw new ValidationException(prefix + "cannot pair the .tflite's " + (candidate.hasSignature() ? "signature '" + candidate.signatureKey() + "'"
          : "inputs and outputs (it has no SignatureDef)") + " with the original model's: " + e.getMessage(), e);
    }
  }

  private static Map<String, DriftAccumulator> accumulators(TfLiteRunner.Port[] outputs) {
    Map<String, DriftAccumulator> map = new LinkedHashMap<>();
    for (TfLiteRunner.Port o : outputs) {
      map.put(o.name(), new DriftAccumulator(o.shape().length == 0 ? 1 : o.shape()[o.shape().length - 1]));
    }
    return map;
  }

  /** The file's min_runtime_version, or null (none, or a damaged file, which the runtimes then refuse with their own message). */
  private static String declaredMinRuntime(Path tflite) {
    try {
      return ModelFacts.read(tflite).minRuntimeVersion();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Whether a min_runtime_version ("2.18.0") is newer than the oldest runtime's 2.6.x. */
  static boolean newerThanOldest(String version) {
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 2 || (major == 2 && minor > 6);
    } catch (NumberFormatException e) {
      return false; // an unreadable entry from another tool: keep the check
    }
  }

  /** The converted file in the oldest runtime the converter writes for: opening it is the check that it loads there. */
  private static TfLite26Runner openOldest(Path model, String prefix) {
    try {
      return new TfLite26Runner(model, 1); // runs beside the main loop (OldestRuntimeRun), on the core it leaves free
    } catch (RuntimeException e) {
      throw new ValidationException(prefix + e.getMessage(), e);
    }
  }

  private static TfLiteRunner openTfLite(Path model, String prefix) {
    try {
      return new TfLiteRunner(model);
    } catch (RuntimeException e) {
      throw new ValidationException(prefix + "the TensorFlow Lite interpreter cannot load " + model + ": " + e.getMessage(), e);
    }
  }

  private static boolean isKeras(ValidationRequest request) {
    return isKerasSource(request.source());
  }

  /** A Keras file, whose reference is the TensorFlow graph the converter lowers it to (written to the debug directory). */
  public static boolean isKerasSource(Path source) {
    String file = source.getFileName().toString();
    return file.endsWith(".h5") || file.endsWith(".hdf5") || file.endsWith(".keras");
  }

  /** One reference run; TensorFlow's refusal of dilated convolutions (no oneDNN on this CPU) says what to do instead. */
  private static NamedTensors runReference(ModelRunner reference, NamedTensors sample, String prefix) {
    try {
      return reference.run(sample);
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("does not support dilations")) {
        throw new ValidationException(prefix + "TensorFlow cannot run the original's dilated convolutions on this machine (without oneDNN, which"
            + " it uses only on CPUs with AVX-512, its CPU kernels refuse dilations). Validate with the converter's work directory, whose"
            + " frozen graph holds them in the SpaceToBatchND form that runs everywhere (the Maven plugin does this)", e);
      }
      throw e;
    }
  }

  /**
   * A SavedModel or GraphDef with dilated convolutions runs as the converter's frozen graph, where they are in the
   * SpaceToBatchND form (the same values): TensorFlow without oneDNN cannot run them as they are. Without the
   * converter's work directory the source runs as it is (fine wherever TensorFlow uses oneDNN).
   */
  private static boolean referenceIsFrozenGraph(ValidationRequest request, Path debugDirectory) {
    return !isTflite(request) && !isKeras(request) && FrozenGraphReference.available(debugDirectory, request.modelName())
        && DilatedConvolutions.in(request.source());
  }

  private static boolean isTflite(ValidationRequest request) {
    return request.source().getFileName().toString().endsWith(".tflite");
  }

  /** The original: a SavedModel or GraphDef in TensorFlow, or a source .tflite in the interpreter. */
  private static ModelRunner openReference(ValidationRequest request, String signatureKey, String prefix) {
    try {
      return isTflite(request) ? new TfLiteRunner(request.source()) : TensorFlowRunner.open(request.source(), signatureKey, request.tags());
    } catch (RuntimeException e) {
      throw new ValidationException(prefix + "cannot load the original model " + request.source() + ": " + e.getMessage(), e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The inputs with their first (batch) dimension set to {@code batch}. */
  private static TfLiteRunner.Port[] batched(TfLiteRunner.Port[] inputs, int batch) {
    return Arrays.stream(inputs).map(p -> {
      int[] shape = p.shape().clone();
      shape[0] = batch;
      return new TfLiteRunner.Port(p.name(), p.type(), shape, p.scale(), p.dynamicBatch());
    }).toArray(TfLiteRunner.Port[]::new);
  }

  /** The classic dynamic-batch bug: the converted model keeps batch 1 after the input was resized. */
  private static void requireSameShapes(String prefix, NamedTensors expected, NamedTensors actual) {
    expected.asMap().forEach((name, e) -> {
      long[] a = actual.get(name).shape();
      if (!Arrays.equals(e.shape(), a)) {
        throw new ValidationException(prefix + "output '" + name + "' has shape " + Arrays.toString(a) + " in the converted model but "
            + Arrays.toString(e.shape()) + " in the original for the same input; a resized batch did not propagate");
      }
    });
  }

  private static void requireSameNames(String prefix, NamedTensors expected, NamedTensors actual) {
    if (!expected.asMap().keySet().equals(actual.asMap().keySet())) {
      throw new ValidationException(prefix + "the original model's outputs " + new TreeSet<>(expected.asMap().keySet())
          + " do not match the converted model's " + new TreeSet<>(actual.asMap().keySet()));
    }
  }
}
