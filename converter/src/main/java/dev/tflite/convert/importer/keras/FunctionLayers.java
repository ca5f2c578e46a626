package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Recorded {@code tf.*} calls: Keras 2's TFOpLambda (and SlicingOpLambda for {@code x[...]}) name the function in
 * their config ({@code math.multiply}, {@code reshape}); Keras 3 records a {@code keras.ops} call on a Keras tensor as
 * an op node, registered under the function it computes. Arguments are read by position or by the tf function's
 * parameter name ({@link FunctionCall}).
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class FunctionLayers {
  private static final Map<String, Function<FunctionCall, Operand<TFloat32>>> FUNCTIONS = new TreeMap<>();

  static {
    binary("math.add", (tf, a, b) -> tf.math.add(a, b));
    binary("__operators__.add", (tf, a, b) -> tf.math.add(a, b));
    binary("math.subtract", (tf, a, b) -> tf.math.sub(a, b));
    binary("math.multiply", (tf, a, b) -> tf.math.mul(a, b));
    binary("math.truediv", (tf, a, b) -> tf.math.div(a, b));
    binary("math.divide", (tf, a, b) -> tf.math.div(a, b));
    binary("math.maximum", (tf, a, b) -> tf.math.maximum(a, b));
    binary("math.minimum", (tf, a, b) -> tf.math.minimum(a, b));
    binary("math.not_equal", (tf, a, b) -> (Operand) tf.math.notEqual(a, b));
    binary("math.equal", (tf, a, b) -> (Operand) tf.math.equal(a, b));
    binary("math.greater", (tf, a, b) -> (Operand) tf.math.greater(a, b));
    binary("math.less", (tf, a, b) -> (Operand) tf.math.less(a, b));
    unary("math.negative", (tf, x) -> tf.math.neg(x));
    unary("math.exp", (tf, x) -> tf.math.exp(x));
    unary("math.sqrt", (tf, x) -> tf.math.sqrt(x));
    unary("math.rsqrt", (tf, x) -> tf.math.rsqrt(x));
    unary("math.square", (tf, x) -> tf.math.square(x));
    unary("math.abs", (tf, x) -> tf.math.abs(x));
    unary("math.tanh", (tf, x) -> tf.math.tanh(x));
    unary("math.sigmoid", (tf, x) -> tf.math.sigmoid(x));
    unary("nn.relu", (tf, x) -> tf.nn.relu(x));
    unary("nn.relu6", (tf, x) -> tf.nn.relu6(x));
    FUNCTIONS.put("nn.silu", f -> Activations.apply(f.c, f.tensor(0, "features", "x"), "silu"));
    FUNCTIONS.put("nn.gelu", f -> f.flag(1, false, "approximate") ? tanhGelu(f.c, f.tensor(0, "features", "x"))
        : Activations.apply(f.c, f.tensor(0, "features", "x"), "gelu"));
    FUNCTIONS.put("nn.softmax", f -> {
      Operand<TFloat32> x = f.tensor(0, "logits", "x");
      int axis = f.axes(1, x.shape().numDimensions(), new int[] {x.shape().numDimensions() - 1}, "axis")[0];
      return softmax(f.c, x, axis);
    });
    reduction("math.reduce_mean", (tf, x, axes, keep) -> tf.math.mean(x, axes, Mean.keepDims(keep)));
    reduction("math.reduce_sum", (tf, x, axes, keep) -> tf.sum(x, axes, Sum.keepDims(keep)));
    reduction("math.reduce_max", (tf, x, axes, keep) -> tf.max(x, axes, Max.keepDims(keep)));
    // a bool reduction (the mask Keras 3 records for Masking: any(not_equal(x, mask_value), -1)); bools travel as float operands
    reduction("math.reduce_any", (tf, x, axes, keep) -> (Operand<TFloat32>) (Operand<?>) tf.any((Operand<org.tensorflow.types.TBool>) (Operand<?>) x, axes,
        org.tensorflow.op.core.Any.keepDims(keep)));
    FUNCTIONS.put("reshape", f -> {
      JsonNode shape = f.value(1, "shape", "newshape");
      long[] dims = new long[shape.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i).isNull() ? -1 : shape.get(i).asLong();
      }
      return f.c.tf.withName("Reshape").reshape(f.tensor(0, "tensor", "x"), f.c.tf.constant(dims));
    });
    FUNCTIONS.put("transpose", f -> {
      Operand<TFloat32> x = f.tensor(0, "a", "x");
      int rank = x.shape().numDimensions();
      int[] reversed = new int[rank];
      for (int i = 0; i < rank; i++) {
        reversed[i] = rank - 1 - i;
      }
      return f.c.tf.withName("transpose").linalg.transpose(x, f.c.tf.constant(f.axes(1, rank, reversed, "perm", "axes")));
    });
    FUNCTIONS.put("concat", f -> {
      var values = f.tensors(0, "values");
      return f.c.tf.withName("concat").concat((Iterable) values, f.c.tf.constant(f.axes(1, values.get(0).shape().numDimensions(), new int[] {0},
          "axis")[0]));
    });
    FUNCTIONS.put("expand_dims", f -> {
      Operand<TFloat32> x = f.tensor(0, "input", "x");
      int axis = f.value(1, "axis").asInt();
      return f.c.tf.withName("ExpandDims").expandDims(x, f.c.tf.constant(axis < 0 ? axis + x.shape().numDimensions() + 1 : axis));
    });
    FUNCTIONS.put("squeeze", f -> {
      Operand<TFloat32> x = f.tensor(0, "input", "x");
      JsonNode axis = f.value(1, "axis");
      if (axis.isMissingNode() || axis.isNull()) {
        throw new UnsupportedLayerException("squeeze without an axis depends on the batch size; give the axes to squeeze");
      }
      long[] axes = java.util.Arrays.stream(f.axes(1, x.shape().numDimensions(), null, "axis")).asLongStream().toArray();
      return f.c.tf.withName("Squeeze").squeeze(x, Squeeze.axis(java.util.Arrays.stream(axes).boxed().toList()));
    });
    FUNCTIONS.put("cast", f -> {
      String dtype = f.value(1, "dtype").asText();
      Operand x = f.tensor(0, "x");
      return switch (dtype) {
        case "float32" -> f.c.tf.withName("Cast").dtypes.cast(x, TFloat32.class);
        case "int32", "int64" -> (Operand) f.c.tf.withName("Cast").dtypes.cast(x, TInt32.class);
        case "bool" -> (Operand) f.c.tf.withName("Cast").dtypes.cast(x, org.tensorflow.types.TBool.class);
        default -> throw new UnsupportedLayerException("cast to " + dtype + " is not supported (float32, int32 and bool are)");
      };
    });
    FUNCTIONS.put("__operators__.getitem", Slicing::getItem);
  }

  private FunctionLayers() {}

  private interface Binary {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);
  }

  private interface Unary {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  private interface Reduction {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TInt32> axes, boolean keepDims);
  }

  private static void binary(String name, Binary op) {
    FUNCTIONS.put(name, f -> {
      JsonNode first = f.value(0, "x", "x1");
      Operand<TFloat32> a = CallArguments.isTensor(first) ? f.tensor(0, "x", "x1") : null;
      Operand<TFloat32> b = f.operand(1, a, "y", "x2");
      if (a == null) {
        a = f.operand(0, b, "x", "x1");
      }
      return op.apply(f.c.tf.withName(name.substring(name.lastIndexOf('.') + 1)), a, b);
    });
  }

  private static void unary(String name, Unary op) {
    FUNCTIONS.put(name, f -> op.apply(f.c.tf.withName(name.substring(name.lastIndexOf('.') + 1)), f.tensor(0, "x", "features")));
  }

  private static void reduction(String name, Reduction op) {
    FUNCTIONS.put(name, f -> {
      Operand<TFloat32> x = f.tensor(0, "input_tensor", "x");
      int[] axes = f.axes(1, x.shape().numDimensions(), null, "axis");
      return op.apply(f.c.tf.withName(name.substring(name.indexOf('.') + 1)), x, f.c.tf.constant(axes), f.flag(2, false, "keepdims"));
    });
  }

  private static Operand<TFloat32> softmax(LayerContext c, Operand<TFloat32> x, int axis) {
    int rank = x.shape().numDimensions();
    if (axis == rank - 1) {
      return c.tf.withName("Softmax").nn.softmax(x);
    }
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[axis] = rank - 1;
    perm[rank - 1] = axis;
    Operand<TFloat32> moved = c.tf.withName("to_last").linalg.transpose(x, c.tf.constant(perm));
    return c.tf.withName("from_last").linalg.transpose(c.tf.withName("Softmax").nn.softmax(moved), c.tf.constant(perm));
  }

  /** gelu(approximate=True): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  private static Operand<TFloat32> tanhGelu(LayerContext c, Operand<TFloat32> x) {
    Ops tf = c.tf;
    Operand<TFloat32> cube = tf.withName("gelu_cube").math.mul(tf.withName("gelu_square").math.mul(x, x), x);
    Operand<TFloat32> inner = tf.withName("gelu_inner").math.mul(tf.withName("gelu_sum").math.add(x, tf.withName("gelu_cubic").math.mul(cube,
        tf.constant(0.044715f))), tf.constant((float) Math.sqrt(2 / Math.PI)));
    return tf.withName("gelu").math.mul(tf.withName("gelu_half").math.mul(x, tf.constant(0.5f)),
        tf.withName("gelu_one_plus").math.add(tf.constant(1f), tf.withName("gelu_tanh").math.tanh(inner)));
  }

  /** A TFOpLambda or SlicingOpLambda: the lowering of its config's function. */
  static Operand<TFloat32> recorded(LayerContext c) {
    String function = c.string("function", "");
    var lowering = FUNCTIONS.get(function);
    if (lowering == null) {
      throw new UnsupportedLayerException(unsupportedAdvice(function));
    }
    return lowering.apply(new FunctionCall(c));
  }

  /** The lowering of {@code function} for a Keras 3 op node registered as computing it. */
  static LayerRegistry.Lowering function(String function) {
    var lowering = FUNCTIONS.get(function);
    if (lowering == null) {
      throw new IllegalStateException("no lowering for " + function);
    }
    return c -> lowering.apply(new FunctionCall(c));
  }

  static boolean supports(String function) {
    return FUNCTIONS.containsKey(function);
  }

  static Set<String> functions() {
    return FUNCTIONS.keySet();
  }

  static String unsupportedAdvice(String function) {
    return "the recorded call tf." + function + " has no lowering yet; supported: tf." + String.join(", tf.", FUNCTIONS.keySet())
        + ". Rewrite that step with a built-in Keras layer or one of these functions";
  }
}
