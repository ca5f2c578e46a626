package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tflite.convert.ir.TensorData;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What a layer lowering sees: TensorFlow ops scoped to the layer, its configuration, inputs and named weights. */
final class LayerContext {
  final Ops tf;
  final String name;
  final JsonNode config;
  final List<Operand<TFloat32>> inputs;
  final KerasDialect dialect;
  private final Map<String, TensorData> weights;
  private final Map<String, Operand<TFloat32>> weightConstants;
  private final SublayerWeights sublayers;
  /** The call's arguments beyond its tensors (which tensor is the value, a causal mask, a TFOpLambda's axis). */
  CallArguments arguments = CallArguments.NONE;
  /** Keras' implicit masks of the inputs ([batch, steps] bool, null where an input has none; see {@link ImplicitMasks}). */
  List<Operand<org.tensorflow.types.TBool>> masks = List.of();
  /** The mask this layer makes itself (Masking, Embedding mask_zero), which its lowering may use; null otherwise. */
  Operand<org.tensorflow.types.TBool> ownMask;

  /**
   * Weights of a layer held inside this one (a recurrent layer's cell, a wrapper's layer), by the path of layer names
   * below this layer, with the constants made of them (shared by every call, like this layer's own).
   */
  interface SublayerWeights {
    Map<String, TensorData> weights(List<String> subPath, List<String> variables);

    Map<String, Operand<TFloat32>> constants(List<String> subPath);
  }

  /** {@code weightConstants} is shared by every call of the layer, so a shared layer's weights are in the graph once. */
  LayerContext(Ops tf, String name, JsonNode config, List<Operand<TFloat32>> inputs, KerasDialect dialect, Map<String, TensorData> weights,
      Map<String, Operand<TFloat32>> weightConstants, SublayerWeights sublayers) {
    this.tf = tf;
    this.name = name;
    this.config = config;
    this.inputs = inputs;
    this.dialect = dialect;
    this.weights = weights;
    this.weightConstants = weightConstants;
    this.sublayers = sublayers;
  }

  /** The same layer with its ops made in {@code scope} (one step of an unrolled loop, say). */
  LayerContext inScope(Ops scope) {
    return new LayerContext(scope, name, config, inputs, dialect, weights, weightConstants, sublayers).withArguments(arguments).withMasks(masks);
  }

  /** The same layer called on other inputs (a wrapper feeding its layer, a recurrent layer's reversed copy). */
  LayerContext withInputs(List<Operand<TFloat32>> newInputs) {
    return new LayerContext(tf, name, config, newInputs, dialect, weights, weightConstants, sublayers).withArguments(arguments);
  }

  LayerContext withArguments(CallArguments callArguments) {
    this.arguments = callArguments;
    return this;
  }

  LayerContext withMasks(List<Operand<org.tensorflow.types.TBool>> inputMasks) {
    this.masks = inputMasks;
    return this;
  }

  /**
   * The operands of an element-wise call, in order: its tensors, or for a Keras 3 operation on tensors and numbers
   * ({@code x + 3.0} on a Keras tensor is saved as an {@code Add} called on {@code [x, 3.0]}: MobileNetV3's hard
   * sigmoid) each number as a constant in its place. A merge layer called on one list of tensors has its tensors.
   */
  List<Operand<TFloat32>> operands() {
    if (arguments.positionalCount() < 2) {
      return inputs;
    }
    List<Operand<TFloat32>> operands = new java.util.ArrayList<>();
    for (int i = 0; i < arguments.positionalCount(); i++) {
      JsonNode value = arguments.get(i, "");
      if (CallArguments.isTensor(value)) {
        operands.add(inputs.get(CallArguments.tensorIndex(value)));
      } else if (value.isNumber()) {
        operands.add(tf.withName("operand_" + i).constant((float) value.asDouble()));
      } else {
        return inputs;
      }
    }
    return operands;
  }

  /** The tensor passed as positional argument {@code position} or keyword {@code keyword}, or null if none was. */
  Operand<TFloat32> tensorArgument(int position, String keyword) {
    com.fasterxml.jackson.databind.JsonNode value = arguments.get(position, keyword);
    return CallArguments.isTensor(value) ? inputs.get(CallArguments.tensorIndex(value)) : null;
  }

  /**
   * A layer held inside this one, with configuration {@code subConfig} and the weights found at {@code subPath} below
   * this layer (named by {@code variables}); its sublayers are looked up below that path.
   */
  LayerContext sublayer(String subName, JsonNode subConfig, List<String> subPath, List<String> variables, Ops scope) {
    SublayerWeights below = new SublayerWeights() {
      @Override
      public Map<String, TensorData> weights(List<String> path, List<String> vars) {
        return sublayers.weights(concat(subPath, path), vars);
      }

      @Override
      public Map<String, Operand<TFloat32>> constants(List<String> path) {
        return sublayers.constants(concat(subPath, path));
      }
    };
    return new LayerContext(scope, subName, subConfig, inputs, dialect, sublayers.weights(subPath, variables), sublayers.constants(subPath), below)
        .withMasks(CallMasks.resolved(this));
  }

  /**
   * The layer wrapped by this one (a recurrent layer's cell, TimeDistributed's layer): its weights from this layer's
   * own when the file keeps them there (a Keras 2 HDF5 group names every weight of the layer and its cell), else from
   * {@code subPath} below it (Keras 3 keeps a cell's variables in the cell's group).
   */
  LayerContext wrapped(String subName, JsonNode subConfig, List<String> subPath, List<String> variables, Ops scope) {
    if (hasWeights()) {
      return new LayerContext(scope, subName, subConfig, inputs, dialect, weights, weightConstants, sublayers);
    }
    return sublayer(subName, subConfig, subPath, variables, scope);
  }

  /** Whether this layer has any weights at all (a recurrent layer's weights sit with it or with its cell, by file format). */
  boolean hasWeights() {
    return !weights.isEmpty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  Operand<TFloat32> input() {
    return inputs.get(0);
  }

  long[] inputShape() {
    return input().shape().asArray();
  }

  /** The layer's weight {@code variable} (kernel, bias, gamma, ...). */
  TensorData weightData(String variable) {
    TensorData data = weights.get(variable);
    if (data == null && KerasDialect.keras3VariableName(variable) != null) {
      data = weights.get(KerasDialect.keras3VariableName(variable));
    }
    if (data == null) {
      throw new UnsupportedLayerException("its weight '" + variable + "' is missing from the weights file (it holds " + weights.keySet() + ")");
    }
    return data;
  }

  /** The layer's weight {@code variable} as a graph constant, created once for all calls of the layer. */
  Operand<TFloat32> weight(String variable) {
    TensorData data = weightData(variable);
    return weightConstants.computeIfAbsent(variable, v -> constant(data, v));
  }

  /** A constant computed from the weights (a gate's slice of a kernel), made once for all calls of the layer. */
  Operand<TFloat32> derivedWeight(String key, java.util.function.Supplier<Operand<TFloat32>> make) {
    Operand<TFloat32> existing = weightConstants.get(key);
    if (existing == null) {
      existing = make.get();
      weightConstants.put(key, existing);
    }
    return existing;
  }

  Operand<TFloat32> constant(TensorData data, String opName) {
    return constant(data.floats(), data.shape(), opName);
  }

  Operand<TFloat32> constant(float[] values, long[] shape, String opName) {
    return tf.withName(opName).constantOf(TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
  }

  String string(String key, String fallback) {
    JsonNode v = config.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode v = config.get(key);
    return v == null || v.isNull() ? fallback : v.asBoolean();
  }

  double number(String key, double fallback) {
    JsonNode v = config.get(key);
    return v == null || v.isNull() ? fallback : v.asDouble();
  }

  /** A tuple such as kernel_size or strides, written as a list or as one number for every dimension. */
  long[] ints(String key, int rank, long[] fallback) {
    JsonNode v = config.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      out[i] = v.isNumber() ? v.asLong() : v.get(Math.min(i, v.size() - 1)).asLong();
    }
    return out;
  }

  long[] pair(String key, long[] fallback) {
    return ints(key, 2, fallback);
  }

  /** An axis setting (one int or a one-element list), negative axes counted from the end of the input's rank. */
  int axis(String key, int fallback) {
    JsonNode v = config.get(key);
    int axis = v == null || v.isNull() ? fallback : v.isArray() ? v.get(0).asInt() : v.asInt();
    return axis < 0 ? axis + input().shape().numDimensions() : axis;
  }

  boolean channelsFirst() {
    return string("data_format", "channels_last").equals("channels_first");
  }

  void requireChannelsLast() {
    if (channelsFirst()) {
      throw new UnsupportedLayerException("data_format channels_first is not supported; TensorFlow Lite runs channels_last models");
    }
  }

  /** The activation the layer ends with (its {@code activation} setting). */
  Operand<TFloat32> activate(Operand<TFloat32> x) {
    return Activations.apply(this, x, Activations.name(config.get("activation")));
  }
}
