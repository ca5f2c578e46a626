package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The masks a layer call sees: the {@code mask} tensor Keras 3 recorded as a call argument, or Keras' implicit masks
 * followed through the graph ({@link ImplicitMasks}), and the call's tensors with the recorded mask set apart.
 */
final class CallMasks {
  private CallMasks() {}

  /**
   * The mask of input {@code i}, or null: for the first input the call's {@code mask} tensor when the file recorded
   * one (Keras 3 saves the mask it resolved as a call argument, made by recorded keras.ops nodes), else Keras' implicit
   * mask followed through the graph (files that do not record it, and layers that read it from their inputs).
   */
  @SuppressWarnings("unchecked")
  static Operand<TBool> mask(LayerContext c, int i) {
    if (i == 0 && recordedIndex(c) >= 0) {
      Operand<?> m = c.inputs.get(recordedIndex(c));
      return m.asOutput().dataType() == org.tensorflow.proto.DataType.DT_BOOL ? (Operand<TBool>) m
          : (Operand<TBool>) (Operand<?>) AttentionMasks.ones(c, (Operand<TFloat32>) m, "recorded_mask");
    }
    return i < c.masks.size() ? c.masks.get(i) : null;
  }

  /** The call's tensors after the first but its recorded mask (a recurrent layer's initial_state). */
  static List<Operand<TFloat32>> tensorsAfterFirst(LayerContext c) {
    List<Operand<TFloat32>> rest = new ArrayList<>();
    for (int i = 1; i < c.inputs.size(); i++) {
      if (i != recordedIndex(c)) {
        rest.add(c.inputs.get(i));
      }
    }
    return rest;
  }

  /** The inputs' masks with the recorded one in place of the first input's (what a layer held inside this one sees). */
  static List<Operand<TBool>> resolved(LayerContext c) {
    List<Operand<TBool>> all = new ArrayList<>(c.masks);
    if (all.isEmpty()) {
      all.add(null);
    }
    all.set(0, mask(c, 0));
    return all;
  }

  /** The index in the layer's inputs of the call's recorded {@code mask} tensor (one tensor, not a list), or -1. */
  static int recordedIndex(LayerContext c) {
    JsonNode v = c.arguments.keyword("mask");
    return CallArguments.isTensor(v) && CallArguments.tensorIndex(v) < c.inputs.size() ? CallArguments.tensorIndex(v) : -1;
  }

  /** The implicit mask of the tensor passed as positional argument {@code position} or keyword {@code keyword}, or null. */
  static Operand<TBool> implicitMaskOf(LayerContext c, int position, String keyword) {
    JsonNode value = c.arguments.get(position, keyword);
    return CallArguments.isTensor(value) ? mask(c, CallArguments.tensorIndex(value)) : null;
  }
}
