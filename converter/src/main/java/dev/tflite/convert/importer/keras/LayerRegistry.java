package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras layer class → its lowering (the TensorFlow ops Keras itself runs for it at inference) and its variables in
 * creation order. The only place a Keras layer class name appears: adding a layer is one entry here, its lowering in
 * its family class, and one zoo row.
 */
final class LayerRegistry {
  /** Lowers one call of a layer with one output. */
  interface Lowering {
    Operand<TFloat32> lower(LayerContext c);
  }

  /** Lowers one call of a layer to its outputs (a recurrent layer with return_state has several). */
  interface OutputsLowering {
    List<Operand<TFloat32>> lower(LayerContext c);
  }

  record Entry(OutputsLowering lowering, Function<JsonNode, List<String>> variables) {}

  private static final Map<String, Entry> LAYERS = new TreeMap<>();
  /** Classes that cannot be converted as saved, with what to do instead. */
  private static final Map<String, String> ADVICE = new TreeMap<>();
  private static final Map<String, RecurrentLayers.Kind> RECURRENT = new TreeMap<>();

  static {
    // convolution
    add("Conv1D", ConvolutionLayers::conv1d, Variables.withBias("kernel"));
    add("Conv2D", ConvolutionLayers::conv2d, Variables.withBias("kernel"));
    add("Conv3D", ConvolutionLayers::conv3d, Variables.withBias("kernel"));
    add("Conv2DTranspose", ConvolutionLayers::conv2dTranspose, Variables.withBias("kernel"));
    add("DepthwiseConv1D", ConvolutionLayers::depthwiseConv1d, Variables.withBias("depthwise_kernel"));
    add("SeparableConv1D", ConvolutionLayers::separableConv1d, Variables.withBias("depthwise_kernel", "pointwise_kernel"));
    add("DepthwiseConv2D", ConvolutionLayers::depthwiseConv2d, Variables.withBias("depthwise_kernel"));
    add("SeparableConv2D", ConvolutionLayers::separableConv2d, Variables.withBias("depthwise_kernel", "pointwise_kernel"));
    // pooling
    add("AveragePooling1D", PoolingLayers::averagePool1d, Variables.none());
    add("AveragePooling2D", PoolingLayers::averagePool2d, Variables.none());
    add("AveragePooling3D", PoolingLayers::averagePool3d, Variables.none());
    add("GlobalAveragePooling1D", PoolingLayers::globalAverage1d, Variables.none());
    add("GlobalAveragePooling2D", PoolingLayers::globalAverage2d, Variables.none());
    add("GlobalMaxPooling1D", PoolingLayers::globalMax1d, Variables.none());
    add("GlobalMaxPooling2D", PoolingLayers::globalMax2d, Variables.none());
    add("MaxPooling1D", PoolingLayers::maxPool1d, Variables.none());
    add("MaxPooling2D", PoolingLayers::maxPool2d, Variables.none());
    add("MaxPooling3D", PoolingLayers::maxPool3d, Variables.none());
    // core
    add("Dense", CoreLayers::dense, Variables.withBias("kernel"));
    add("Embedding", CoreLayers::embedding, Variables.of("embeddings"));
    add("Dropout", CoreLayers::identity, Variables.none());
    add("Masking", CoreLayers::masking, Variables.none()); // its mask: ImplicitMasks
    add("GaussianDropout", CoreLayers::identity, Variables.none());
    add("GaussianNoise", CoreLayers::identity, Variables.none());
    add("SpatialDropout2D", CoreLayers::identity, Variables.none());
    // shape
    add("Cropping1D", ShapeLayers::cropping1d, Variables.none());
    add("Cropping2D", ShapeLayers::cropping2d, Variables.none());
    add("Flatten", ShapeLayers::flatten, Variables.none());
    add("UpSampling1D", ShapeLayers::upSampling1d, Variables.none());
    add("ZeroPadding1D", ShapeLayers::zeroPadding1d, Variables.none());
    add("Permute", ShapeLayers::permute, Variables.none());
    add("Reshape", ShapeLayers::reshape, Variables.none());
    add("UpSampling2D", ShapeLayers::upSampling2d, Variables.none());
    add("ZeroPadding2D", ShapeLayers::zeroPadding2d, Variables.none());
    // merge
    add("Add", MergeLayers::add, Variables.none());
    add("Average", MergeLayers::average, Variables.none());
    add("Concatenate", MergeLayers::concatenate, Variables.none());
    add("Dot", MergeLayers::dot, Variables.none());
    add("Maximum", MergeLayers::maximum, Variables.none());
    add("Minimum", MergeLayers::minimum, Variables.none());
    add("Multiply", MergeLayers::multiply, Variables.none());
    add("Subtract", MergeLayers::subtract, Variables.none());
    // normalization
    add("BatchNormalization", NormalizationLayers::batchNormalization, Variables.scaleCenter("moving_mean", "moving_variance"));
    add("GroupNormalization", NormalizationLayers::groupNormalization, Variables.scaleCenter());
    add("LayerNormalization", NormalizationLayers::layerNormalization, Variables.scaleCenter());
    add("UnitNormalization", NormalizationLayers::unitNormalization, Variables.none());
    // activation
    add("Activation", ActivationLayers::activation, Variables.none());
    add("ELU", ActivationLayers::elu, Variables.none());
    add("LeakyReLU", ActivationLayers::leakyRelu, Variables.none());
    add("PReLU", ActivationLayers::prelu, Variables.of("alpha"));
    add("ReLU", ActivationLayers::relu, Variables.none());
    add("Softmax", ActivationLayers::softmax, Variables.none());
    // preprocessing
    add("CenterCrop", PreprocessingLayers::centerCrop, Variables.none());
    add("Normalization", PreprocessingLayers::normalization,
        c -> PreprocessingLayers.normalizationHasVariables(c) ? List.of("mean", "variance", "count") : List.of());
    add("Rescaling", PreprocessingLayers::rescaling, Variables.none());
    add("Resizing", PreprocessingLayers::resizing, Variables.none());

    // attention
    addOutputs("AdditiveAttention", AttentionLayers::additiveAttention, c -> c.path("use_scale").asBoolean(true) ? List.of("scale") : List.of());
    addOutputs("Attention", AttentionLayers::attention, AttentionLayers::attentionVariables);
    addOutputs("MultiHeadAttention", AttentionLayers::multiHeadAttention, Variables.none()); // weights in sublayers query/key/value/attention_output
    // recorded tf.* calls (Keras 2) and keras.ops calls (Keras 3 op nodes, by the tf function each computes)
    add("SlicingOpLambda", FunctionLayers::recorded, Variables.none());
    add("TFOpLambda", FunctionLayers::recorded, Variables.none());
    for (String[] op : new String[][] {{"Add", "math.add"}, {"Subtract", "math.subtract"}, {"Multiply", "math.multiply"},
        {"Divide", "math.truediv"}, {"Maximum", "math.maximum"}, {"Minimum", "math.minimum"},
        {"NotEqual", "math.not_equal"}, {"Equal", "math.equal"}, {"Greater", "math.greater"}, {"Less", "math.less"},
        {"Negative", "math.negative"}, {"Exp", "math.exp"}, {"Sqrt", "math.sqrt"}, {"Square", "math.square"}, {"Absolute", "math.abs"},
        {"Tanh", "math.tanh"}, {"Sigmoid", "math.sigmoid"}, {"Relu", "nn.relu"}, {"Relu6", "nn.relu6"}, {"Silu", "nn.silu"},
        {"Gelu", "nn.gelu"}, {"Softmax", "nn.softmax"}, {"Mean", "math.reduce_mean"}, {"Sum", "math.reduce_sum"},
        {"Max", "math.reduce_max"}, {"Any", "math.reduce_any"}, {"Reshape", "reshape"}, {"Transpose", "transpose"}, {"Concatenate", "concat"},
        {"ExpandDims", "expand_dims"}, {"Squeeze", "squeeze"}, {"Cast", "cast"}, {"GetItem", "__operators__.getitem"}}) {
      add(KerasDialect.OPS_PREFIX + op[0], FunctionLayers.function(op[1]), Variables.none());
    }

    // recurrent: unrolled over the static sequence length (RecurrentLayers)
    addRecurrent("LSTM", RecurrentLayers.LSTM);
    addRecurrent("GRU", RecurrentLayers.GRU);
    addRecurrent("SimpleRNN", RecurrentLayers.SIMPLE_RNN);
    addOutputs("Bidirectional", WrapperLayers::bidirectional, Variables.none());
    add("TimeDistributed", WrapperLayers::timeDistributed, LayerRegistry::wrappedVariables);
    add("RepeatVector", ShapeLayers::repeatVector, Variables.none());

    ADVICE.put("Lambda", "a Lambda layer is Python code saved as bytecode, which no converter can read; rewrite it with built-in layers"
        + " (Rescaling, Activation, Reshape, Permute, the merge layers), or as a subclassed layer exported with tf.saved_model.save and"
        + " converted from the SavedModel");
  }

  private LayerRegistry() {}

  private static void add(String className, Lowering lowering, Function<JsonNode, List<String>> variables) {
    LAYERS.put(className, new Entry(c -> List.of(lowering.lower(c)), variables));
  }

  private static void addOutputs(String className, OutputsLowering lowering, Function<JsonNode, List<String>> variables) {
    LAYERS.put(className, new Entry(lowering, variables));
  }

  private static void addRecurrent(String className, RecurrentLayers.Kind kind) {
    addOutputs(className, RecurrentLayers.lowering(kind), RecurrentLayers::variables);
    RECURRENT.put(className, kind);
  }

  /** A wrapper's variables where a file keeps them with the wrapper: its wrapped layer's. */
  private static List<String> wrappedVariables(JsonNode config) {
    JsonNode inner = config.path("layer");
    Entry entry = LAYERS.get(KerasDialect.className(inner));
    return entry == null ? List.of() : entry.variables().apply(inner.path("config"));
  }

  /** The recurrent layer kind of a class (what Bidirectional may wrap), or null. */
  static RecurrentLayers.Kind recurrentKind(String className) {
    return RECURRENT.get(className);
  }

  static boolean supports(String className) {
    return LAYERS.containsKey(className);
  }

  static Set<String> supported() {
    return Collections.unmodifiableSet(LAYERS.keySet());
  }

  static Entry get(String className) {
    return LAYERS.get(className);
  }

  /** Why a supported class cannot lower this layer's config, known before building (a recorded tf function without a lowering), or null. */
  static String unsupportedSetting(String className, JsonNode config) {
    boolean recorded = className.equals("TFOpLambda") || className.equals("SlicingOpLambda");
    return recorded && !FunctionLayers.supports(config.path("function").asText()) ? "tf." + config.path("function").asText() : null;
  }

  /** What to do about an unsupported class, or null. */
  static String advice(String className) {
    return ADVICE.get(className);
  }
}
