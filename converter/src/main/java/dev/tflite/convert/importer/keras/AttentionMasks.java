package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The masks attention layers combine, as float 0/1 tensors multiplied together (Keras' logical and): explicit masks
 * from the call (true, or non-zero, keeps a position), the causal mask (query i sees keys j <= i), and the query,
 * value and key masks MultiHeadAttention folds into its attention mask.
 */
final class AttentionMasks {
  private AttentionMasks() {}

  /**
   * MultiHeadAttention's mask as [B or 1, 1, T, S], or null: attention_mask (any rank up to [B, T, S], expanded
   * before the steps as Keras does), query_mask [B, T] and value/key masks [B, S], and use_causal_mask.
   */
  static Operand<TFloat32> multiHead(LayerContext c, long queryLength, long keyLength) {
    Operand<TFloat32> mask = null;
    // Keras' implicit masks (Embedding mask_zero, Masking) of query, value and key: the query's replaces an explicit
    // query_mask (Keras 3.15 reads the query's own mask), the value's and the key's fill in an absent value/key_mask
    Operand<TFloat32> query = implicit(c, 0, "query");
    query = query != null ? query : c.tensorArgument(3, "query_mask");
    if (query != null) {
      mask = c.tf.withName("query_mask").expandDims(ones(c, query, "query_mask_ones"), c.tf.constant(-1));
    }
    for (String name : List.of("value_mask", "key_mask")) {
      Operand<TFloat32> m = c.tensorArgument(name.equals("value_mask") ? 4 : 5, name);
      m = m != null ? m : implicit(c, name.equals("value_mask") ? 1 : 2, name.equals("value_mask") ? "value" : "key");
      if (m != null) {
        mask = and(c, mask, c.tf.withName(name).expandDims(ones(c, m, name + "_ones"), c.tf.constant(-2)), name + "_and");
      }
    }
    Operand<TFloat32> explicit = c.tensorArgument(6, "attention_mask");
    if (explicit != null) {
      mask = and(c, mask, ones(c, explicit, "attention_mask_ones"), "attention_mask_and");
    }
    if (c.arguments.flag("use_causal_mask", false)) {
      mask = and(c, mask, causal(c, queryLength, keyLength), "causal_and");
    }
    if (mask == null) {
      return null;
    }
    for (int i = 0; mask.shape().numDimensions() < 4; i++) { // [.., T, S] -> [.., 1, T, S]: one mask for every head
      mask = c.tf.withName("mask_for_heads" + (i == 0 ? "" : "_" + i)).expandDims(mask, c.tf.constant(-3));
    }
    return mask;
  }

  /** Attention's score mask [B or 1, T, S]: the value mask [B, S] as [B, 1, S], and the causal mask (the call's or Keras 2's causal). */
  static Operand<TFloat32> scoreMask(LayerContext c, Operand<TFloat32> valueMask, long queryLength, long valueLength) {
    Operand<TFloat32> mask = valueMask == null ? null : c.tf.withName("value_mask").expandDims(ones(c, valueMask, "value_mask_ones"), c.tf.constant(-2));
    if (c.arguments.flag("use_causal_mask", c.bool("causal", false))) {
      mask = and(c, mask, causal(c, queryLength, valueLength), "causal_and");
    }
    return mask;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> implicit(LayerContext c, int position, String keyword) {
    return (Operand<TFloat32>) (Operand<?>) CallMasks.implicitMaskOf(c, position, keyword);
  }

  /** A lower-triangular [1, T, S] constant: query step i attends to key steps j <= i. */
  private static Operand<TFloat32> causal(LayerContext c, long t, long s) {
    float[] values = new float[(int) (t * s)];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j <= i && j < s; j++) {
        values[(int) (i * s + j)] = 1;
      }
    }
    return c.constant(values, new long[] {1, t, s}, "causal_mask");
  }

  private static Operand<TFloat32> and(LayerContext c, Operand<TFloat32> a, Operand<TFloat32> b, String name) {
    return a == null ? b : c.tf.withName(name).math.mul(a, b);
  }

  /** A mask as float 0/1: a bool mask cast, a number mask 1 where non-zero (Keras casts masks to bool). */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> ones(LayerContext c, Operand<TFloat32> mask, String name) {
    Operand<?> m = mask;
    if (m.asOutput().dataType() != DataType.DT_BOOL) {
      m = m.asOutput().dataType() == DataType.DT_FLOAT ? c.tf.withName(name + "_nonzero").math.notEqual((Operand<TFloat32>) m, c.tf.constant(0f))
          : c.tf.withName(name + "_nonzero").math.notEqual((Operand<org.tensorflow.types.TInt32>) m, c.tf.constant(0));
    }
    return c.tf.withName(name).dtypes.cast((Operand<TBool>) m, TFloat32.class);
  }

  /** A list argument of tensors ([query, value, key], [query_mask, value_mask]); null entries where None was passed. */
  static List<Operand<TFloat32>> listArgument(LayerContext c, int position, String keyword) {
    JsonNode list = c.arguments.get(position, keyword);
    List<Operand<TFloat32>> out = new ArrayList<>();
    if (list.isArray()) {
      list.forEach(v -> out.add(CallArguments.isTensor(v) ? c.inputs.get(CallArguments.tensorIndex(v)) : null));
    }
    return out;
  }
}
