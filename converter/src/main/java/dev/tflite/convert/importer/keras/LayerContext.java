package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tflite.convert.ir.TensorData;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What a layer lowering sees: TensorFlow ops scoped to the layer, its configuration, inputs and weights. */
final class LayerContext {
  final Ops tf;
  final String name;
  final String className;
  final JsonNode config;
  final List<Operand<TFloat32>> inputs;
  final List<TensorData> weights;
  final boolean keras3;

  LayerContext(Ops tf, String name, String className, JsonNode config, List<Operand<TFloat32>> inputs, List<TensorData> weights, boolean keras3) {
    this.tf = tf;
    this.name = name;
    this.className = className;
    this.config = config;
    this.inputs = inputs;
    this.weights = weights;
    this.keras3 = keras3;
  }

  Operand<TFloat32> input() {
    return inputs.get(0);
  }

  /** The layer's i-th weight as a graph constant. */
  Operand<TFloat32> weight(int index, String opName) {
    if (index >= weights.size()) {
      throw new UnsupportedLayerException("its weight " + index + " is missing from the weights file (it holds " + weights.size() + ")");
    }
    return constant(weights.get(index), opName);
  }

  Operand<TFloat32> constant(TensorData data, String opName) {
    return tf.withName(opName).constantOf(TFloat32.tensorOf(Shape.of(data.shape()), DataBuffers.of(data.floats(), true, false)));
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

  /** A pair such as kernel_size or strides, written as [a, b] or a single number. */
  long[] pair(String key, long[] fallback) {
    JsonNode v = config.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isNumber()) {
      return new long[] {v.asLong(), v.asLong()};
    }
    return new long[] {v.get(0).asLong(), v.get(1).asLong()};
  }

  void requireChannelsLast() {
    String format = string("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw new UnsupportedLayerException("data_format " + format + " is not supported; TensorFlow Lite runs channels_last models");
    }
  }
}
