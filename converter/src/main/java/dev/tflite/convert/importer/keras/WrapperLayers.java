package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Layers that run another layer: Bidirectional (a recurrent layer both ways) and TimeDistributed (a layer per step). */
final class WrapperLayers {
  private WrapperLayers() {}

  /**
   * Bidirectional: the layer forward and a copy backward (go_backwards flipped, its sequence back in time order),
   * merged by concat, sum, mul, ave, or returned both (merge_mode None); with return_state the forward then the
   * backward states follow, as Keras returns them.
   */
  static List<Operand<TFloat32>> bidirectional(LayerContext c) {
    JsonNode forward = c.config.path("layer");
    RecurrentLayers.Kind kind = LayerRegistry.recurrentKind(KerasDialect.className(forward));
    if (kind == null) {
      throw new UnsupportedLayerException("it wraps a " + KerasDialect.className(forward) + "; Bidirectional of LSTM, GRU and SimpleRNN is supported");
    }
    if (!CallMasks.tensorsAfterFirst(c).isEmpty()) {
      throw new UnsupportedLayerException("initial_state on a Bidirectional layer is not supported yet; pass it to the recurrent layers of a"
          + " functional model instead");
    }
    JsonNode forwardConfig = forward.path("config");
    String forwardName = forwardConfig.path("name").asText();
    JsonNode backward = c.config.get("backward_layer");
    JsonNode backwardConfig;
    if (backward != null && !backward.isNull()) {
      if (LayerRegistry.recurrentKind(KerasDialect.className(backward)) != kind) {
        throw new UnsupportedLayerException("its backward_layer is a " + KerasDialect.className(backward) + " and its forward layer a "
            + KerasDialect.className(forward) + "; both must be the same kind");
      }
      backwardConfig = backward.path("config");
    } else {
      ObjectNode copy = ((ObjectNode) forwardConfig).deepCopy();
      copy.put("go_backwards", !forwardConfig.path("go_backwards").asBoolean(false));
      copy.put("name", "backward_" + (forwardName.startsWith("forward_") ? forwardName.substring("forward_".length()) : forwardName));
      backwardConfig = copy;
    }
    List<Operand<TFloat32>> fw = RecurrentLayers.unroll(direction(c, forwardConfig, "forward"), kind, true);
    List<Operand<TFloat32>> bw = RecurrentLayers.unroll(direction(c, backwardConfig, "backward"), kind, true);
    Ops tf = c.tf;
    String mode = c.config.hasNonNull("merge_mode") ? c.config.get("merge_mode").asText() : null;
    List<Operand<TFloat32>> results = new ArrayList<>();
    Operand<TFloat32> f = fw.get(0);
    Operand<TFloat32> b = bw.get(0);
    if (mode == null) {
      results.add(f);
      results.add(b);
    } else {
      results.add(switch (mode) {
        case "concat" -> tf.withName("concat").concat(List.of(f, b), tf.constant(-1));
        case "sum" -> tf.withName("sum").math.add(f, b);
        case "mul" -> tf.withName("mul").math.mul(f, b);
        case "ave" -> tf.withName("ave").math.mul(tf.withName("ave_sum").math.add(f, b), tf.constant(0.5f));
        default -> throw new UnsupportedLayerException("merge_mode '" + mode + "' is not one of concat, sum, mul, ave, None");
      });
    }
    results.addAll(fw.subList(1, fw.size()));
    results.addAll(bw.subList(1, bw.size()));
    return results;
  }

  private static LayerContext direction(LayerContext c, JsonNode config, String scope) {
    String name = config.path("name").asText();
    // the direction reads the sequence alone, with the call's mask (recorded or implicit) as its input's
    return c.sublayer(name, config, List.of(name), List.of(), c.tf.withSubScope(scope)).withInputs(List.of(c.input()))
        .withMasks(java.util.Collections.singletonList(CallMasks.mask(c, 0)));
  }

  /** TimeDistributed: the wrapped layer on [batch × steps, ...], the steps put back as the second axis. */
  static Operand<TFloat32> timeDistributed(LayerContext c) {
    JsonNode inner = c.config.path("layer");
    String cls = KerasDialect.className(inner);
    LayerRegistry.Entry entry = LayerRegistry.get(cls);
    if (entry == null || KerasDialect.isModel(cls)) {
      throw new UnsupportedLayerException("it wraps a " + cls + ", which the converter cannot lower inside TimeDistributed");
    }
    long[] shape = c.inputShape();
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] <= 0) {
        throw new UnsupportedLayerException("its input has shape " + Arrays.toString(shape) + "; TimeDistributed needs every dimension but the"
            + " batch known");
      }
    }
    Ops tf = c.tf;
    long[] stepShape = new long[shape.length - 1];
    stepShape[0] = -1;
    System.arraycopy(shape, 2, stepShape, 1, shape.length - 2);
    Operand<TFloat32> steps = tf.withName("merge_steps").reshape(c.input(), tf.constant(stepShape));
    JsonNode innerConfig = inner.path("config");
    String innerName = innerConfig.path("name").asText();
    LayerContext layer = c.wrapped(innerName, innerConfig, List.of(innerName), entry.variables().apply(innerConfig), tf.withSubScope("layer"))
        .withInputs(List.of(steps));
    List<Operand<TFloat32>> out = entry.lowering().lower(layer);
    if (out.size() != 1) {
      throw new UnsupportedLayerException("its " + cls + " returns " + out.size() + " tensors; TimeDistributed of one output is supported");
    }
    long[] outShape = out.get(0).shape().asArray();
    long[] target = new long[outShape.length + 1];
    target[0] = -1;
    target[1] = shape[1];
    System.arraycopy(outShape, 1, target, 2, outShape.length - 1);
    return tf.withName("split_steps").reshape(out.get(0), tf.constant(target));
  }
}
