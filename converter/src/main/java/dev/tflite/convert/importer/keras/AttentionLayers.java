package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Attention layers at inference: MultiHeadAttention, Attention (Luong) and AdditiveAttention (Bahdanau), lowered to
 * the ops TensorFlow Lite runs for transformers (FULLY_CONNECTED projections, BATCH_MATMUL scores and contexts,
 * SOFTMAX, RESHAPE/TRANSPOSE between heads), the census the official converter writes for Keras' einsum-based layer.
 * Masks are 0/1 products applied to the softmax's weights, which are then renormalized (see {@link #softmax}).
 */
final class AttentionLayers {
  private AttentionLayers() {}

  /**
   * MultiHeadAttention: per-head projections (EinsumDense kernels [d, heads, dim], query scaled by 1/sqrt(key_dim),
   * folded into its kernel), softmax(q k^T + mask) v per head, the heads projected back by attention_output
   * ([heads, value_dim, *output_shape]). Weights sit in the sublayers query, key, value, attention_output (both files).
   */
  static List<Operand<TFloat32>> multiHeadAttention(LayerContext c) {
    if (c.bool("use_gate", false) || !c.config.path("sliding_window").isNull() && !c.config.path("sliding_window").isMissingNode()) {
      throw new UnsupportedLayerException("use_gate and sliding_window are not supported yet; re-create the layer without them");
    }
    Operand<TFloat32> query = c.tensorArgument(0, "query");
    Operand<TFloat32> value = c.tensorArgument(1, "value");
    Operand<TFloat32> key = c.tensorArgument(2, "key");
    key = key == null ? value : key;
    if (query == null || value == null || query.shape().numDimensions() != 3 || value.shape().numDimensions() != 3
        || key.shape().numDimensions() != 3) {
      throw new UnsupportedLayerException("attention over [batch, steps, features] query and value tensors is supported (other ranks and"
          + " attention_axes are not yet)");
    }
    JsonNode axes = c.config.path("attention_axes");
    if (axes.isArray() && !(axes.size() == 1 && (axes.get(0).asInt() == 1 || axes.get(0).asInt() == -2))) {
      throw new UnsupportedLayerException("attention_axes " + axes + " is not supported; attention over the steps axis (1) is");
    }
    int heads = (int) c.number("num_heads", 1);
    long keyDim = (long) c.number("key_dim", 1);
    long valueDim = (long) c.number("value_dim", keyDim);
    long steps = query.shape().get(1);
    Operand<TFloat32> q = heads(c, "query", query, heads, keyDim, 1 / Math.sqrt(keyDim));
    Operand<TFloat32> k = heads(c, "key", key, heads, keyDim, 1);
    Operand<TFloat32> v = heads(c, "value", value, heads, valueDim, 1);
    Operand<TFloat32> scores = c.tf.withName("scores").train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true));
    Operand<TFloat32> mask = AttentionMasks.multiHead(c, steps, key.shape().get(1));
    Operand<TFloat32> weights = softmax(c, scores, mask);
    Operand<TFloat32> context = c.tf.withName("context").train.batchMatMul(weights, v, TFloat32.class);
    context = c.tf.withName("context_steps_first").linalg.transpose(context, c.tf.constant(new int[] {0, 2, 1, 3}));
    context = c.tf.withName("context_flat").reshape(context, c.tf.constant(new long[] {-1, heads * valueDim}));
    LayerContext out = c.sublayer(c.name + "/attention_output", c.config, List.of("attention_output"), variables(c), c.tf);
    TensorData kernel = out.weightData("kernel");
    long[] outShape = java.util.Arrays.copyOfRange(kernel.shape(), 2, kernel.shape().length);
    long units = java.util.Arrays.stream(outShape).reduce(1, (a, b) -> a * b);
    Operand<TFloat32> y = c.tf.withName("attention_output").linalg.matMul(context,
        out.derivedWeight("kernel_matrix", () -> out.constant(kernel.floats(), new long[] {heads * valueDim, units}, "attention_output_kernel")));
    if (c.bool("use_bias", true)) {
      y = c.tf.withName("attention_output_bias").nn.biasAdd(y,
          out.derivedWeight("bias_vector", () -> out.constant(out.weightData("bias").floats(), new long[] {units}, "attention_output_bias")));
    }
    long[] shape = new long[2 + outShape.length];
    shape[0] = -1;
    shape[1] = steps;
    System.arraycopy(outShape, 0, shape, 2, outShape.length);
    y = c.tf.withName("output").reshape(y, c.tf.constant(shape));
    return c.arguments.flag("return_attention_scores", false) ? List.of(y, weights) : List.of(y);
  }

  /** One projection to heads: [B, T, d] x kernel [d, heads, dim] (+ bias [heads, dim]), times {@code scale}, as [B, heads, T, dim]. */
  private static Operand<TFloat32> heads(LayerContext c, String sublayer, Operand<TFloat32> x, int heads, long dim, double scale) {
    LayerContext p = c.sublayer(c.name + "/" + sublayer, c.config, List.of(sublayer), variables(c), c.tf);
    long features = x.shape().get(2);
    long steps = x.shape().get(1);
    Operand<TFloat32> flat = c.tf.withName(sublayer + "_flat").reshape(x, c.tf.constant(new long[] {-1, features}));
    Operand<TFloat32> kernel = p.derivedWeight("kernel_matrix",
        () -> p.constant(scaled(p.weightData("kernel").floats(), scale), new long[] {features, heads * dim}, sublayer + "_kernel"));
    Operand<TFloat32> y = c.tf.withName(sublayer).linalg.matMul(flat, kernel);
    if (c.bool("use_bias", true)) {
      Operand<TFloat32> bias = p.derivedWeight("bias_vector",
          () -> p.constant(scaled(p.weightData("bias").floats(), scale), new long[] {heads * dim}, sublayer + "_bias"));
      y = c.tf.withName(sublayer + "_bias").nn.biasAdd(y, bias);
    }
    y = c.tf.withName(sublayer + "_heads").reshape(y, c.tf.constant(new long[] {-1, steps, heads, dim}));
    return c.tf.withName(sublayer + "_heads_first").linalg.transpose(y, c.tf.constant(new int[] {0, 2, 1, 3}));
  }

  private static List<String> variables(LayerContext c) {
    return c.bool("use_bias", true) ? List.of("kernel", "bias") : List.of("kernel");
  }

  private static float[] scaled(float[] values, double scale) {
    if (scale == 1) {
      return values;
    }
    float[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (out[i] * scale);
    }
    return out;
  }

  /** Attention: dot (q k^T, times scale when use_scale) or concat (concat_score_weight * sum(tanh(scale * (q + k)))) scores. */
  static List<Operand<TFloat32>> attention(LayerContext c) {
    String mode = c.string("score_mode", "dot");
    List<Operand<TFloat32>> qvk = AttentionMasks.listArgument(c, 0, "inputs");
    Operand<TFloat32> q = qvk.get(0);
    Operand<TFloat32> key = qvk.size() > 2 ? qvk.get(2) : qvk.get(1);
    Operand<TFloat32> scores;
    if (mode.equals("dot")) {
      scores = c.tf.withName("scores").train.batchMatMul(q, key, TFloat32.class, BatchMatMul.adjY(true));
      if (c.bool("use_scale", false)) {
        scores = c.tf.withName("scaled_scores").math.mul(scores, c.weight("scale"));
      }
    } else if (mode.equals("concat")) {
      Operand<TFloat32> sum = pairSum(c, q, key);
      if (c.bool("use_scale", false)) {
        sum = c.tf.withName("scaled_sum").math.mul(sum, c.weight("scale"));
      }
      scores = c.tf.withName("scores").math.mul(c.weight("concat_score_weight"), c.tf.withName("score_sum").sum(
          c.tf.withName("tanh").math.tanh(sum), c.tf.constant(new int[] {-1})));
    } else {
      throw new UnsupportedLayerException("score_mode '" + mode + "' is not supported (dot and concat are)");
    }
    return attend(c, qvk, scores);
  }

  /** AdditiveAttention: sum(scale * tanh(q + k)) over the features, scale a learned vector when use_scale (default). */
  static List<Operand<TFloat32>> additiveAttention(LayerContext c) {
    List<Operand<TFloat32>> qvk = AttentionMasks.listArgument(c, 0, "inputs");
    Operand<TFloat32> key = qvk.size() > 2 ? qvk.get(2) : qvk.get(1);
    Operand<TFloat32> tanh = c.tf.withName("tanh").math.tanh(pairSum(c, qvk.get(0), key));
    if (c.bool("use_scale", true)) {
      tanh = c.tf.withName("scaled").math.mul(tanh, c.weight("scale"));
    }
    return attend(c, qvk, c.tf.withName("scores").sum(tanh, c.tf.constant(new int[] {-1})));
  }

  /** Variables of Attention in creation order: scale when use_scale, then concat_score_weight in concat mode. */
  static List<String> attentionVariables(JsonNode config) {
    List<String> names = new ArrayList<>();
    if (config.path("use_scale").asBoolean(false)) {
      names.add("scale");
    }
    if (config.path("score_mode").asText("dot").equals("concat")) {
      names.add("concat_score_weight");
    }
    return names;
  }

  /** q [B, T, d] + k [B, S, d] broadcast to [B, T, S, d]. */
  private static Operand<TFloat32> pairSum(LayerContext c, Operand<TFloat32> q, Operand<TFloat32> key) {
    return c.tf.withName("pair_sum").math.add(c.tf.withName("query_expanded").expandDims(q, c.tf.constant(-2)),
        c.tf.withName("key_expanded").expandDims(key, c.tf.constant(-3)));
  }

  /** The shared tail of Attention and AdditiveAttention: value mask and causal mask, softmax, weights x value, query mask. */
  private static List<Operand<TFloat32>> attend(LayerContext c, List<Operand<TFloat32>> qvk, Operand<TFloat32> scores) {
    List<Operand<TFloat32>> masks = AttentionMasks.listArgument(c, 1, "mask");
    Operand<TFloat32> scoreMask = AttentionMasks.scoreMask(c, masks.size() > 1 ? masks.get(1) : null, qvk.get(0).shape().get(1),
        qvk.get(1).shape().get(1));
    Operand<TFloat32> weights = softmax(c, scores, scoreMask);
    Operand<TFloat32> out = c.tf.withName("output").train.batchMatMul(weights, qvk.get(1), TFloat32.class);
    if (!masks.isEmpty() && masks.get(0) != null) {
      out = c.tf.withName("query_masked").math.mul(out, c.tf.withName("query_mask").expandDims(AttentionMasks.ones(c, masks.get(0), "query_mask"),
          c.tf.constant(-1)));
    }
    return c.arguments.flag("return_attention_scores", false) ? List.of(out, weights) : List.of(out);
  }

  /**
   * Keras' masked softmax, exp(s_i) m_i / sum_j exp(s_j) m_j, as softmax(s) * m renormalized over the kept positions.
   * Keras adds -1e9 to masked scores instead; the result is the same (a masked weight is exactly 0 either way), but a
   * -1e9 in the graph is infinite as float16 (0 * inf: NaN) and spreads an int8 score tensor over 1e9, leaving the
   * real scores no steps; this form keeps every tensor in [0, 1]. The floor on the sum only matters when the kept
   * weights all underflow (kept scores ~90 below a masked one), where it gives 0 instead of NaN.
   */
  private static Operand<TFloat32> softmax(LayerContext c, Operand<TFloat32> scores, Operand<TFloat32> mask) {
    Operand<TFloat32> weights = c.tf.withName("Softmax").nn.softmax(scores);
    if (mask == null) {
      return weights;
    }
    Operand<TFloat32> kept = c.tf.withName("masked_weights").math.mul(weights, mask);
    Operand<TFloat32> total = c.tf.withName("kept_total").sum(kept, c.tf.constant(new int[] {-1}), org.tensorflow.op.core.Sum.keepDims(true));
    return c.tf.withName("renormalized").math.div(kept, c.tf.withName("kept_total_floor").math.maximum(total, c.tf.constant(1e-7f)));
  }
}
