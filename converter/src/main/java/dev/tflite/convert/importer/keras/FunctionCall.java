package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The arguments of a recorded function call (a Keras 2 TFOpLambda/SlicingOpLambda, a Keras 3 op node), by position
 * or by the function's parameter name; a Keras 3 op keeps its non-tensor settings (axis, keepdims) in its config.
 */
final class FunctionCall {
  final LayerContext c;

  FunctionCall(LayerContext c) {
    this.c = c;
  }

  /** The argument at {@code position} or named one of {@code names}, else the layer config's entry; missing if none. */
  JsonNode value(int position, String... names) {
    JsonNode v = c.arguments.get(position, names[0]);
    for (int i = 1; i < names.length && v.isMissingNode(); i++) {
      v = c.arguments.keyword(names[i]);
    }
    for (int i = 0; i < names.length && v.isMissingNode(); i++) {
      if (c.config.has(names[i])) {
        v = c.config.get(names[i]);
      }
    }
    return v;
  }

  /** A tensor argument, or a constant (a number, a nested list, a saved array) as a tensor of {@code like}'s type. */
  @SuppressWarnings("unchecked")
  Operand<TFloat32> operand(int position, Operand<TFloat32> like, String... names) {
    JsonNode v = value(position, names);
    if (CallArguments.isTensor(v)) {
      return c.inputs.get(CallArguments.tensorIndex(v));
    }
    JsonNode literal = CallArguments.isConstant(v) ? v.get("__constant__") : v;
    if (literal.isMissingNode() || literal.isNull()) {
      throw new UnsupportedLayerException("argument '" + names[0] + "' is missing from the recorded call (" + c.arguments + ")");
    }
    List<Long> shape = new ArrayList<>();
    for (JsonNode n = literal; n.isArray(); n = n.get(0)) {
      shape.add((long) n.size());
    }
    List<Double> values = new ArrayList<>();
    flatten(literal, values);
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    if (like != null && like.asOutput().dataType() == DataType.DT_INT32) {
      int[] ints = values.stream().mapToInt(Double::intValue).toArray();
      return (Operand<TFloat32>) (Operand<?>) c.tf.withName(names[0]).constantOf(TInt32.tensorOf(Shape.of(dims), DataBuffers.of(ints, true, false)));
    }
    float[] floats = new float[values.size()];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = values.get(i).floatValue();
    }
    return c.constant(floats, dims, names[0]);
  }

  Operand<TFloat32> tensor(int position, String... names) {
    JsonNode v = value(position, names);
    if (!CallArguments.isTensor(v)) {
      throw new UnsupportedLayerException("argument '" + names[0] + "' must be a tensor of the model (the call has " + c.arguments + ")");
    }
    return c.inputs.get(CallArguments.tensorIndex(v));
  }

  /** The tensors of a list argument (concat's values). */
  List<Operand<TFloat32>> tensors(int position, String name) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    JsonNode list = value(position, name);
    for (JsonNode v : list) {
      out.add(CallArguments.isTensor(v) ? c.inputs.get(CallArguments.tensorIndex(v)) : operand(-1, out.isEmpty() ? null : out.get(0), name));
    }
    return out;
  }

  /** Axes as non-negative ints for a rank-{@code rank} input; {@code fallback} (null: all axes) when not given. */
  int[] axes(int position, int rank, int[] fallback, String... names) {
    JsonNode v = value(position, names);
    if (v.isMissingNode() || v.isNull()) {
      if (fallback != null) {
        return fallback;
      }
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) {
        all[i] = i;
      }
      return all;
    }
    List<Integer> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(a -> out.add(a.asInt() < 0 ? a.asInt() + rank : a.asInt()));
    } else {
      out.add(v.asInt() < 0 ? v.asInt() + rank : v.asInt());
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  boolean flag(int position, boolean fallback, String... names) {
    JsonNode v = value(position, names);
    return v.isMissingNode() || v.isNull() ? fallback : v.asBoolean();
  }

  private static void flatten(JsonNode node, List<Double> out) {
    if (node.isArray()) {
      node.forEach(n -> flatten(n, out));
    } else {
      out.add(node.isBoolean() ? (node.asBoolean() ? 1.0 : 0.0) : node.asDouble());
    }
  }
}
