package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.tensorflow.Operand;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * {@code x[...]} as Python indexes: ints (the axis is dropped), slices start:stop:step (open ends as masks, so the
 * batch axis can stay unknown), None (a new axis) and one Ellipsis, as one TensorFlow StridedSlice with the masks
 * Python's indexing maps to. Keras 2 saves the index as SlicingOpLambda's {@code slice_spec}; Keras 3 as GetItem's key.
 */
final class Slicing {
  private Slicing() {}

  static Operand<TFloat32> getItem(FunctionCall f) {
    Operand<TFloat32> x = f.tensor(0, "tensor", "x");
    JsonNode spec = f.value(1, "slice_spec", "key");
    if (!spec.isArray()) {
      spec = JsonNodeFactory.instance.arrayNode().add(spec);
    }
    int n = spec.size();
    int[] begin = new int[n];
    int[] end = new int[n];
    int[] strides = new int[n];
    long beginMask = 0;
    long endMask = 0;
    long ellipsisMask = 0;
    long newAxisMask = 0;
    long shrinkMask = 0;
    for (int i = 0; i < n; i++) {
      JsonNode item = spec.get(i);
      strides[i] = 1;
      if (item.isNull()) {
        newAxisMask |= 1L << i;
      } else if (item.isObject() && item.has("__ellipsis__")) {
        ellipsisMask |= 1L << i;
      } else if (item.isIntegralNumber()) {
        begin[i] = item.asInt();
        end[i] = item.asInt() + 1;
        shrinkMask |= 1L << i;
        if (item.asInt() == -1) {
          endMask |= 1L << i; // x[-1]: to the end (end 0 would be an empty range)
        }
      } else if (item.isObject() && item.has("__slice__")) {
        JsonNode s = item.get("__slice__");
        strides[i] = s.path("step").isNumber() ? s.get("step").asInt() : 1;
        if (s.path("start").isNumber()) {
          begin[i] = s.get("start").asInt();
        } else {
          beginMask |= 1L << i;
        }
        if (s.path("stop").isNumber()) {
          end[i] = s.get("stop").asInt();
        } else {
          endMask |= 1L << i;
        }
      } else {
        throw new UnsupportedLayerException("the index " + item + " is not supported (ints, slices, None and ... are; a tensor index is not)");
      }
    }
    return f.c.tf.withName("strided_slice").stridedSlice(x, f.c.tf.constant(begin), f.c.tf.constant(end), f.c.tf.constant(strides),
        StridedSlice.beginMask(beginMask), StridedSlice.endMask(endMask), StridedSlice.ellipsisMask(ellipsisMask),
        StridedSlice.newAxisMask(newAxisMask), StridedSlice.shrinkAxisMask(shrinkMask));
  }
}
