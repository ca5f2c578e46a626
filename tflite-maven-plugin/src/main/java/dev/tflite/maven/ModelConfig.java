package dev.tflite.maven;

import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * One {@code <model>} of the plugin configuration.
 *
 * <pre>
 * &lt;model&gt;
 *   &lt;name&gt;rnet&lt;/name&gt;                                  &lt;!-- output: rnet.tflite --&gt;
 *   &lt;source&gt;src/main/models/rnet&lt;/source&gt;              &lt;!-- SavedModel directory or frozen .pb --&gt;
 *   &lt;quantization&gt;dynamic-range&lt;/quantization&gt;         &lt;!-- none | dynamic-range (default) --&gt;
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

  /** The model to convert: a SavedModel directory or a frozen GraphDef {@code .pb} file. */
  File source;

  /** {@code none} (float32) or {@code dynamic-range} (int8 weights, the default). */
  String quantization = "dynamic-range";

  /** SavedModel signature to convert; default {@code serving_default}, or the only one. */
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

  /** Acceptable drift; defaults depend on the quantization mode. */
  ToleranceConfig tolerance;

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
  }
}
