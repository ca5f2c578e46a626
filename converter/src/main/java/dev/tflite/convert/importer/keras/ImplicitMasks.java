package dev.tflite.convert.importer.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Any;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' implicit masks (a tensor's {@code _keras_mask}, [batch, steps] bool), as Keras 3.15 makes and passes them:
 * made from the data at run time by Masking (a step is kept when any feature differs from mask_value) and by
 * Embedding(mask_zero=True) (a token is kept when it is not 0); passed on unchanged by the layers whose
 * {@code compute_mask} returns their input's mask and whose computation does not read it; consumed by the recurrent
 * layers, MultiHeadAttention and GlobalAveragePooling1D, whose lowerings read {@link LayerContext#mask}; dropped, as
 * Keras drops it (with a warning), by layers that do not support masking. A mask reaching a layer that supports
 * masking in Keras but whose masked behaviour is not lowered here is refused rather than silently ignored.
 */
final class ImplicitMasks {
  private ImplicitMasks() {}

  /** Layers that pass their first input's mask to their output and compute the same with or without it (at inference). */
  private static final Set<String> PASS_THROUGH = Set.of("Activation", "ELU", "LeakyReLU", "PReLU", "ReLU", "Dense", "Identity", "Dropout",
      "AlphaDropout", "GaussianDropout", "GaussianNoise", "ActivityRegularization", "BatchNormalization", "LayerNormalization",
      "UnitNormalization", "Rescaling", "Normalization");

  /** Layers that read the mask in their lowering (consumers). */
  private static final Set<String> CONSUMERS = Set.of("LSTM", "GRU", "SimpleRNN", "Bidirectional", "MultiHeadAttention",
      "GlobalAveragePooling1D");

  /** Layers that support masking in Keras 3.15 (they read or pass it) whose masked behaviour the converter does not lower. */
  private static final Set<String> NOT_LOWERED = Set.of("Attention", "AdditiveAttention", "GroupedQueryAttention", "TimeDistributed", "Softmax",
      "Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot", "GroupNormalization", "RNN");

  /** Whether a layer makes a mask of its own from its input's values. */
  static boolean produces(String className, com.fasterxml.jackson.databind.JsonNode config) {
    return className.equals("Masking") || className.equals("Embedding") && config.path("mask_zero").asBoolean(false);
  }

  /**
   * The mask a producing layer makes from its input, before the layer is lowered (Masking's lowering zeroes the masked
   * steps with it), or null for other layers.
   */
  @SuppressWarnings("unchecked")
  static Operand<TBool> own(LayerContext c, String className) {
    if (className.equals("Masking")) {
      float value = (float) c.number("mask_value", 0.0);
      Operand<TBool> differs = c.tf.withName("mask_differs").math.notEqual(c.input(), c.tf.constant(value));
      return c.tf.withName("mask").any(differs, c.tf.constant(-1), Any.keepDims(false));
    }
    if (produces(className, c.config)) {
      Operand<?> ids = c.input();
      return ids.asOutput().dataType() == DataType.DT_FLOAT
          ? c.tf.withName("mask").math.notEqual((Operand<TFloat32>) ids, c.tf.constant(0f))
          : c.tf.withName("mask").math.notEqual((Operand<TInt32>) ids, c.tf.constant(0));
    }
    return null;
  }

  /**
   * Refuses a layer a mask reaches whose masked behaviour is not lowered; call before lowering. {@code from}: where the
   * mask was made, for the message.
   */
  static void check(LayerContext c, String className, String from) {
    if (c.masks.stream().allMatch(m -> m == null) || produces(className, c.config) || CONSUMERS.contains(className)
        || PASS_THROUGH.contains(className)) {
      return;
    }
    // a Keras 3 file records the mask it resolved as the call's mask argument, which the lowering reads as an
    // explicit one (Attention's mask=[...]); only an unrecorded mask would be lost
    if (NOT_LOWERED.contains(className) && c.arguments.keyword("mask").isMissingNode()) {
      throw new UnsupportedLayerException("the implicit mask made by " + from + " reaches it, and Keras applies that mask in this layer,"
          + " which the converter does not lower yet; apply the mask explicitly (e.g. multiply by ops.cast(mask, 'float32')) or, for"
          + " Attention, pass mask=[query_mask, value_mask] as tensors");
    }
  }

  /** The masks of a lowered layer's outputs, by Keras' compute_mask for that layer (nulls where an output has none). */
  static List<Operand<TBool>> outputs(LayerContext c, String className, Operand<TBool> own, int outputCount) {
    List<Operand<TBool>> out = new ArrayList<>(Collections.nCopies(outputCount, null));
    Operand<TBool> first = c.masks.isEmpty() ? null : c.masks.get(0);
    if (own != null) {
      out.set(0, own);
    } else if (first != null && PASS_THROUGH.contains(className)) {
      out.set(0, first);
    } else if (first != null && (LayerRegistry.recurrentKind(className) != null || className.equals("Bidirectional"))) {
      // return_sequences keeps the steps' mask on the sequence (both sequences of merge_mode None); states carry none
      boolean sequences = (className.equals("Bidirectional") ? c.config.path("layer").path("config") : c.config).path("return_sequences")
          .asBoolean(false);
      if (sequences) {
        out.set(0, first);
        if (className.equals("Bidirectional") && !c.config.hasNonNull("merge_mode") && outputCount > 1) {
          out.set(1, first);
        }
      }
    } else if (className.equals("MultiHeadAttention")) {
      out.set(0, CallMasks.implicitMaskOf(c, 0, "query")); // Keras sets the query's mask on the attention output
    }
    return out;
  }
}
