package dev.tflite.maven;

import dev.tflite.pipeline.ModelSpec;
import dev.tflite.validation.compare.Tolerance;
import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * One {@code <model>} of the plugin configuration.
 *
 * <pre>
 * &lt;model&gt;
 *   &lt;name&gt;rnet&lt;/name&gt;                                  &lt;!-- output: rnet.tflite --&gt;
 *   &lt;source&gt;src/main/models/rnet&lt;/source&gt;              &lt;!-- SavedModel directory, frozen .pb, .h5, .keras or float .tflite --&gt;
 *   &lt;quantization&gt;dynamic-range&lt;/quantization&gt;         &lt;!-- none | dynamic-range | float16 | weight-only-int8 | int8 | int16x8 --&gt;
 *   &lt;signature&gt;serving_default&lt;/signature&gt;
 *   &lt;tags&gt;&lt;tag&gt;serve&lt;/tag&gt;&lt;/tags&gt;
 *   &lt;inputShapes&gt;&lt;input_1&gt;1,24,24,3&lt;/input_1&gt;&lt;/inputShapes&gt;
 *   &lt;samples&gt;32&lt;/samples&gt;
 *   &lt;inputRange&gt;&lt;min&gt;-1&lt;/min&gt;&lt;max&gt;1&lt;/max&gt;&lt;/inputRange&gt;
 *   &lt;tolerance&gt;&lt;maxAbsError&gt;0.05&lt;/maxAbsError&gt;&lt;/tolerance&gt;
 * &lt;/model&gt;
 * </pre>
 */
public class ModelConfig {
  /** Name of the model; the output file is {@code <name>.tflite}. Letters, digits, '.', '_' and '-' only. */
  String name;

  /**
   * The model to convert: a SavedModel directory, a frozen GraphDef {@code .pb}, a Keras {@code .h5}/{@code .keras}
   * file, or a float {@code .tflite} to quantize.
   */
  File source;

  /**
   * {@code none} (float32), {@code dynamic-range} (int8 weights, float activations; the default), {@code float16},
   * {@code weight-only-int8}, {@code int8} (full integer, calibrated) or {@code int16x8}.
   */
  String quantization = "dynamic-range";

  /** Representative data for {@code int8} and {@code int16x8}; default: 32 seeded random samples in [0, 1]. */
  Calibration calibration;

  /** Input type of a full-integer model: {@code float} (default, QUANTIZE inside), {@code int8} or {@code uint8}. */
  String inputType = "float";

  /** Output type of a full-integer model: {@code float} (default), {@code int8} or {@code uint8}. */
  String outputType = "float";

  /** Per-channel weight scales for convolutions (default); false for per-tensor. */
  boolean perChannel = true;

  /** Layers to keep in float. */
  KeepFloat keepFloat;

  /** Fail instead of keeping ops without an integer kernel in float ({@code int8}, {@code int16x8}). */
  boolean integerOnly;

  /**
   * The oldest TensorFlow Lite runtime the file must run in: {@code 2.6} (default, the oldest validated) up to
   * {@code 2.18}. A newer target uses schemes only newer kernels have (per-channel int8 Dense weights from 2.18), and
   * validation then skips the TensorFlow Lite 2.6.2 check.
   */
  String targetRuntime;

  /**
   * SavedModel signature to convert, or the object path of a {@code @tf.function} ({@code predict}, {@code encoder.call})
   * when the signature map lacks it; default {@code serving_default}, or the only signature (or function).
   */
  String signature;

  /** MetaGraph tags to load; default {@code serve}. */
  List<String> tags;

  /** Shapes for inputs with unknown dimensions, by signature input name, e.g. {@code 1,24,24,3}; unknown ones default to 1. */
  Map<String, String> inputShapes;

  /** Number of seeded random samples validation runs through both models. */
  int samples = 32;

  /** Seed of the validation inputs. */
  long seed = 42;

  /** Range of the uniform random validation inputs. */
  InputRange inputRange;

  /**
   * Acceptable drift. Unset: the mode's default, which judges the model and not its units (relative error at most
   * 1e-4 for {@code none}; SNR at least 40 dB for {@code float16}, 25 dB for {@code dynamic-range} and
   * {@code weight-only-int8}, 20 dB for {@code int8} and {@code int16x8}; and inputs that move the output).
   */
  ToleranceConfig tolerance;

  /** Tolerances for single outputs by signature name, replacing {@code tolerance} for them: {@code <outputTolerances><score>…</score></outputTolerances>}. */
  Map<String, ToleranceConfig> outputTolerances;

  /**
   * What to do when drift exceeds the tolerance: {@code fail} (default) or {@code fallback}: keep the worst layers in
   * float, one at a time by per-layer error, until the model passes or {@code fallbackLimit} layers are kept.
   */
  String onDrift = "fail";

  /** Most layers {@code fallback} may keep in float. */
  int fallbackLimit = 3;

  /**
   * Batch sizes validation runs, e.g. {@code <batchSizes><batchSize>1</batchSize><batchSize>4</batchSize></batchSizes>}: a model
   * whose batch dimension is unknown keeps it dynamic, and is checked resized to each.
   */
  List<Integer> batchSizes;

  /**
   * How many of the first validation samples also run in TensorFlow Lite 2.6.2, the oldest runtime the plugin writes
   * for, held to the same tolerance (kernels differ between runtime versions). 0 only checks that the file loads there.
   * That runtime has no optimized integer kernels on x86, so each sample of a large int8 model costs seconds.
   */
  int oldestRuntimeSamples = dev.tflite.validation.ValidationOptions.DEFAULT_OLDEST_RUNTIME_SAMPLES;

  /** Validation inputs from files instead of random values. */
  Inputs inputs;

  /**
   * TensorFlow Lite metadata embedded in the file, read by Android Studio's ML Model Binding, the Support Library and
   * the Task Library: {@code <metadata><name>…</name><version>…</version><inputs><input>…</input></inputs><outputs>…</outputs></metadata>}.
   */
  MetadataConfig metadata;

  /**
   * The previous release's {@code .tflite}: validation also runs it on the same inputs and reports the new model's
   * drift against it, its size, op census and latency. A missing file (the first release) is noted, not an error.
   */
  File baseline;

  /**
   * The previous release as Maven coordinates instead of a file, resolved from the project's repositories:
   * {@code <baselineArtifact><groupId>com.example</groupId><artifactId>flowers-app</artifactId><version>1.0</version></baselineArtifact>}.
   * A jar (the default {@code <type>}) is searched for {@code <entry>} (default {@code <name>.tflite}, as this plugin
   * ships it); {@code <type>tflite</type>} is the file itself. Not found in any repository: a first release.
   */
  BaselineArtifact baselineArtifact;

  /** How far the new model may move from {@code <baseline>} (the {@code <tolerance>} metrics); unset: report only. */
  ToleranceConfig baselineTolerance;

  /** Coordinates of the previous release (see {@code <baselineArtifact>}). */
  public static class BaselineArtifact {
    String groupId;
    String artifactId;
    String version;
    String type = "jar";
    String classifier;
    /** The file inside a jar; default {@code <name>.tflite}. */
    String entry;

    String coordinates() {
      return groupId + ":" + artifactId + ":" + type + (classifier == null || classifier.isEmpty() ? "" : ":" + classifier) + ":" + version;
    }
  }

  /** {@code <metadata>}: model facts, and how to feed each input and read each output. */
  public static class MetadataConfig {
    String name;
    String description;
    String version;
    String author;
    String license;
    List<InputMetadataConfig> inputs;
    List<OutputMetadataConfig> outputs;
  }

  /**
   * {@code <input><name>image</name><content>image</content><colorSpace>RGB</colorSpace><mean>127.5</mean><std>127.5</std>
   * <range><min>0</min><max>255</max></range></input>}: {@code <name>} may be left out for a model's only input;
   * {@code <mean>}/{@code <std>} are one number or one per channel, comma-separated.
   */
  public static class InputMetadataConfig {
    String name;
    /** {@code image}, {@code features} or {@code audio}. */
    String content;
    /** {@code RGB} or {@code GRAYSCALE} (image inputs). */
    String colorSpace;
    String mean;
    String std;
    InputRange range;
    /** Hz, for audio inputs. */
    Long sampleRate;
  }

  /** {@code <output><name>predictions</name><labels>src/main/models/labels.txt</labels></output>}. */
  public static class OutputMetadataConfig {
    String name;
    String content;
    /** One class name per line; packed into the {@code .tflite}. */
    File labels;
    InputRange range;
  }

  /** Golden outputs: record the original's outputs, or check against recorded ones. */
  Golden golden;

  /**
   * {@code <inputs><directory>src/test/images</directory><imageScale>0.00392157</imageScale><imageOffset>0</imageOffset></inputs>}:
   * {@code .npy} files or images (PNG/JPEG/BMP, resized to the input and normalised as {@code pixel * scale + offset}).
   */
  public static class Inputs {
    File directory;
    double imageScale = 1.0 / 255;
    double imageOffset;
  }

  /** {@code <golden><directory>src/test/golden</directory><mode>record</mode></golden>} ({@code record} or {@code check}). */
  public static class Golden {
    File directory;
    String mode;
  }

  /**
   * {@code <calibration><directory>src/main/calibration</directory><samples>100</samples></calibration>}: a folder of
   * {@code .npy} files (one sample per file, or one {@code <input>.npy} per input with a leading sample axis), or,
   * without a directory, seeded random samples in {@code <inputRange>}.
   */
  public static class Calibration {
    File directory;
    int samples = 32;
    long seed = 1234;
    InputRange inputRange;
  }

  /** {@code <keepFloat><opTypes><opType>SOFTMAX</opType></opTypes><nodes><node>head/.*</node></nodes></keepFloat>}. */
  public static class KeepFloat {
    /** TensorFlow Lite op types, e.g. {@code SOFTMAX}, {@code CONV_2D}. */
    List<String> opTypes;
    /** Regular expressions matched against TensorFlow node names. */
    List<String> nodes;
  }

  /** {@code <inputRange><min>0</min><max>1</max></inputRange>}. */
  public static class InputRange {
    double min = 0;
    double max = 1;
  }

  /** Limits on drift per output; unset limits are not checked. */
  public static class ToleranceConfig {
    /** Largest allowed element-wise absolute difference. */
    Double maxAbsError;
    /** Largest allowed mean absolute difference. */
    Double meanAbsError;
    /** Largest allowed root mean square difference. */
    Double rmse;
    /** Smallest allowed cosine similarity between the flattened outputs. */
    Double minCosineSimilarity;
    /** Largest allowed 99th-percentile absolute difference (one outlier does not fail the build). */
    Double p99AbsError;
    /** Largest allowed max abs difference relative to the largest reference magnitude. */
    Double relativeError;
    /** Smallest allowed signal-to-noise ratio in dB. */
    Double minSnrDb;
    /** Smallest allowed share of samples whose top-1 class agrees (classifier outputs). */
    Double minTop1Agreement;
    /** Largest allowed max abs difference in quantization steps of an integer output. */
    Double maxAbsErrorInSteps;
    /**
     * Smallest allowed spread of the original's output over the samples, relative to its magnitude: below it the
     * inputs do not exercise the model (default tolerances use 1e-5).
     */
    Double minReferenceSpread;

    Tolerance toTolerance() {
      return new Tolerance(maxAbsError, meanAbsError, rmse, p99AbsError, relativeError, minCosineSimilarity, minSnrDb, minTop1Agreement,
          maxAbsErrorInSteps, minReferenceSpread);
    }
  }

  /** This {@code <model>} in the pipeline's terms; the pipeline checks it. */
  ModelSpec toSpec() {
    ModelSpec s = new ModelSpec();
    s.name = name;
    s.source = source == null ? null : source.toPath();
    s.quantization = quantization;
    s.signature = signature;
    s.tags = tags;
    s.inputShapes = inputShapes;
    s.samples = samples;
    s.seed = seed;
    s.inputRange = range(inputRange);
    s.tolerance = tolerance == null ? null : tolerance.toTolerance();
    if (outputTolerances != null) {
      s.outputTolerances = new java.util.TreeMap<>();
      outputTolerances.forEach((output, t) -> s.outputTolerances.put(output, t.toTolerance()));
    }
    s.onDrift = onDrift;
    s.fallbackLimit = fallbackLimit;
    s.batchSizes = batchSizes;
    s.oldestRuntimeSamples = oldestRuntimeSamples;
    s.inputs = inputs == null ? null : new ModelSpec.Inputs(inputs.directory == null ? null : inputs.directory.toPath(), inputs.imageScale, inputs.imageOffset);
    s.golden = golden == null ? null : new ModelSpec.Golden(golden.directory == null ? null : golden.directory.toPath(), golden.mode);
    s.calibration = calibration == null ? null : new ModelSpec.Calibration(calibration.directory == null ? null : calibration.directory.toPath(),
        calibration.samples, calibration.seed, range(calibration.inputRange));
    s.inputType = inputType;
    s.outputType = outputType;
    s.perChannel = perChannel;
    s.keepFloatOpTypes = keepFloat == null ? null : keepFloat.opTypes;
    s.keepFloatNodes = keepFloat == null ? null : keepFloat.nodes;
    s.integerOnly = integerOnly;
    s.targetRuntime = targetRuntime;
    s.metadata = metadata == null ? null : new ModelSpec.Metadata(metadata.name, metadata.description, metadata.version, metadata.author,
        metadata.license,
        metadata.inputs == null ? List.of() : metadata.inputs.stream().map(i -> new ModelSpec.InputMetadata(i.name, i.content, i.colorSpace, i.mean,
            i.std, range(i.range), i.sampleRate)).toList(),
        metadata.outputs == null ? List.of() : metadata.outputs.stream().map(o -> new ModelSpec.OutputMetadata(o.name, o.content,
            o.labels == null ? null : o.labels.toPath(), range(o.range))).toList());
    s.baseline = baseline == null ? null : baseline.toPath();
    // resolved to a file by the validate goal; convert does not need it
    s.baselineLabel = baselineArtifact == null ? null : baselineArtifact.coordinates();
    s.baselineTolerance = baselineTolerance == null ? null : baselineTolerance.toTolerance();
    return s;
  }

  private static ModelSpec.Range range(InputRange r) {
    return r == null ? null : new ModelSpec.Range(r.min, r.max);
  }
}
