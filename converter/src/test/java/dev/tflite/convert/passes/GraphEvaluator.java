package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * A reference evaluator for the few ops the pass tests build (float only, the TensorFlow Lite layouts): so a rewrite is
 * checked to compute the same function as the graph it replaced, without a native runtime. Convolutions are 1x1, stride
 * 1 (a per-pixel matrix product), which is all the folding tests need: folding touches the channel axis only.
 */
final class GraphEvaluator {
  private GraphEvaluator() {}

  static float[] run(Graph graph, float[] input) {
    Map<Tensor, float[]> values = new HashMap<>();
    values.put(graph.inputs().values().iterator().next(), input);
    for (Operator op : graph.operators()) {
      values.put(op.output(0), activate(evaluate(op, values), op));
    }
    return values.get(graph.outputs().values().iterator().next());
  }

  private static float[] value(Tensor t, Map<Tensor, float[]> values) {
    return t.isConstant() ? t.data().floats() : values.get(t);
  }

  private static float[] evaluate(Operator op, Map<Tensor, float[]> values) {
    float[] x = op.type() == dev.tflite.convert.ir.OpType.TRANSPOSE_CONV ? null : value(op.input(0), values);
    return switch (op.type()) {
      case RESHAPE, SQUEEZE -> x.clone();
      case RELU -> map(x, v -> Math.max(0, v));
      case RELU6 -> map(x, v -> Math.min(6, Math.max(0, v)));
      case RELU_N1_TO_1 -> map(x, v -> Math.min(1, Math.max(-1, v)));
      case TANH -> map(x, v -> (float) Math.tanh(v));
      case NEG -> map(x, v -> -v);
      case SQUARE -> map(x, v -> v * v);
      case RSQRT -> map(x, v -> (float) (1 / Math.sqrt(v)));
      case POW -> map(x, v -> (float) Math.pow(v, op.input(1).data().floats()[0]));
      case HARD_SWISH -> map(x, v -> v * Math.min(6, Math.max(0, v + 3)) / 6);
      case GELU -> op.options(OpOptions.Gelu.class).approximate()
          ? map(x, v -> (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))))
          : map(x, v -> (float) (0.5 * v * (1 + ErfCone.erf(v / Math.sqrt(2))))); // the series: exact for |v| < 3.5
      case ABS -> map(x, Math::abs);
      case EXP -> map(x, v -> (float) Math.exp(v));
      case SUM -> sum(x, op.input(0).shape(), op.input(1).data().ints()[0]);
      case L2_NORMALIZATION -> l2Normalize(x, op.input(0).dim(-1));
      case ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM -> binary(op, values);
      case CONV_2D, FULLY_CONNECTED -> pointwise(x, op.input(1).data().floats(), bias(op, 2, op.input(1).dim(0)), op.input(1).dim(0));
      case TRANSPOSE_CONV -> pointwise(value(op.input(2), values), op.input(1).data().floats(), bias(op, 3, op.input(1).dim(0)), op.input(1).dim(0));
      case DEPTHWISE_CONV_2D -> depthwise(x, op.input(1).data().floats(), bias(op, 2, op.input(1).dim(3)));
      case TRANSPOSE -> transpose(x, op.input(0).shape(), op.input(1).data().ints());
      case PACK -> pack(op, values);
      case STRIDED_SLICE -> slice(op, x);
      default -> throw new IllegalArgumentException("the test evaluator has no " + op.type());
    };
  }

  /** Row-major strides of {@code shape}. */
  private static int[] strides(long[] shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= (int) shape[d];
    }
    return strides;
  }

  /** out[i_0..i_n] = x[i at perm positions]: out dimension d is input dimension perm[d]. */
  private static float[] transpose(float[] x, long[] shape, int[] perm) {
    int[] in = strides(shape);
    long[] outShape = new long[shape.length];
    for (int d = 0; d < perm.length; d++) {
      outShape[d] = shape[perm[d]];
    }
    int[] out = strides(outShape);
    float[] result = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      int from = 0;
      for (int d = 0; d < perm.length; d++) {
        from += (i / out[d] % (int) outShape[d]) * in[perm[d]];
      }
      result[i] = x[from];
    }
    return result;
  }

  /** The inputs stacked along a new axis. */
  private static float[] pack(Operator op, Map<Tensor, float[]> values) {
    int axis = op.options(OpOptions.Pack.class).axis();
    long[] shape = op.input(0).shape();
    int inner = 1;
    for (int d = axis; d < shape.length; d++) {
      inner *= (int) shape[d];
    }
    int n = op.inputs().size();
    float[] first = value(op.input(0), values);
    float[] out = new float[first.length * n];
    for (int k = 0; k < n; k++) {
      float[] v = value(op.input(k), values);
      for (int i = 0; i < v.length; i++) {
        out[(i / inner * n + k) * inner + i % inner] = v[i];
      }
    }
    return out;
  }

  /** A stride-1 slice with begin, end and shrink masks. */
  private static float[] slice(Operator op, float[] x) {
    OpOptions.StridedSlice o = op.options(OpOptions.StridedSlice.class);
    long[] shape = op.input(0).shape();
    int[] begin = op.input(1).data().ints();
    int[] end = op.input(2).data().ints();
    int[] from = new int[shape.length];
    int[] to = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      int size = (int) shape[d];
      from[d] = d >= begin.length || (o.beginMask() & (1 << d)) != 0 ? 0 : (begin[d] + size) % size;
      to[d] = d >= begin.length || (o.endMask() & (1 << d)) != 0 ? size : (o.shrinkAxisMask() & (1 << d)) != 0 ? from[d] + 1 : end[d] < 0 ? end[d] + size : end[d];
    }
    int[] in = strides(shape);
    java.util.List<Float> out = new java.util.ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      boolean inside = true;
      for (int d = 0; d < shape.length; d++) {
        int at = i / in[d] % (int) shape[d];
        inside &= at >= from[d] && at < to[d];
      }
      if (inside) {
        out.add(x[i]);
      }
    }
    float[] result = new float[out.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = out.get(i);
    }
    return result;
  }

  /** Sum over one axis. */
  private static float[] sum(float[] x, long[] shape, int axis) {
    int a = axis < 0 ? axis + shape.length : axis;
    int inner = 1;
    for (int d = a + 1; d < shape.length; d++) {
      inner *= (int) shape[d];
    }
    int length = (int) shape[a];
    float[] out = new float[x.length / length];
    for (int i = 0; i < x.length; i++) {
      int outer = i / (inner * length);
      out[outer * inner + i % inner] += x[i];
    }
    return out;
  }

  /** The kernel's L2 normalization over the last axis: x / max(norm, 1e-6). */
  private static float[] l2Normalize(float[] x, long length) {
    int n = (int) length;
    float[] out = new float[x.length];
    for (int row = 0; row < x.length / n; row++) {
      double squares = 0;
      for (int i = 0; i < n; i++) {
        squares += (double) x[row * n + i] * x[row * n + i];
      }
      double norm = Math.max(Math.sqrt(squares), 1e-6);
      for (int i = 0; i < n; i++) {
        out[row * n + i] = (float) (x[row * n + i] / norm);
      }
    }
    return out;
  }

  private interface FloatOp {
    float apply(float v);
  }

  private static float[] map(float[] x, FloatOp f) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.apply(x[i]);
    }
    return out;
  }

  private static float[] bias(Operator op, int index, long channels) {
    Tensor b = op.input(index);
    return b == null ? new float[(int) channels] : b.data().floats();
  }

  /** Every pixel (group of {@code in} trailing values) times weights [out, in], plus bias. */
  private static float[] pointwise(float[] x, float[] w, float[] b, long outChannels) {
    int out = (int) outChannels;
    int in = w.length / out;
    int pixels = x.length / in;
    float[] y = new float[pixels * out];
    for (int p = 0; p < pixels; p++) {
      for (int o = 0; o < out; o++) {
        float acc = b[o];
        for (int i = 0; i < in; i++) {
          acc += x[p * in + i] * w[o * in + i];
        }
        y[p * out + o] = acc;
      }
    }
    return y;
  }

  /** A 1x1 depthwise conv with multiplier 1: each channel scaled by its weight, plus bias. */
  private static float[] depthwise(float[] x, float[] w, float[] b) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] * w[i % w.length] + b[i % w.length];
    }
    return y;
  }

  /** The element of an operand of {@code shape} that output element {@code index} reads under numpy broadcasting. */
  private static int broadcastIndex(int index, long[] out, long[] shape) {
    int result = 0;
    int stride = 1;
    int rest = index;
    for (int d = out.length - 1; d >= 0; d--) {
      int coordinate = (int) (rest % out[d]);
      rest /= (int) out[d];
      int sd = d - (out.length - shape.length);
      if (sd >= 0) {
        result += (shape[sd] == 1 ? 0 : coordinate) * stride;
        stride *= (int) shape[sd];
      }
    }
    return result;
  }

  /** Element-wise with numpy broadcasting. */
  private static float[] binary(Operator op, Map<Tensor, float[]> values) {
    float[] a = value(op.input(0), values);
    float[] b = value(op.input(1), values);
    int n = (int) Shapes.elementCount(op.output(0).shape());
    float[] y = new float[n];
    long[] out = op.output(0).shape();
    for (int i = 0; i < n; i++) {
      float l = a[broadcastIndex(i, out, op.input(0).shape())];
      float r = b[broadcastIndex(i, out, op.input(1).shape())];
      y[i] = switch (op.type()) {
        case ADD -> l + r;
        case SUB -> l - r;
        case MUL -> l * r;
        case MINIMUM -> Math.min(l, r);
        case MAXIMUM -> Math.max(l, r);
        default -> l / r;
      };
    }
    return y;
  }

  private static float[] activate(float[] y, Operator op) {
    Activation a = op.options() instanceof OpOptions.WithActivation w ? w.activation() : Activation.NONE;
    return switch (a) {
      case NONE -> y;
      case RELU -> map(y, v -> Math.max(0, v));
      case RELU6 -> map(y, v -> Math.min(6, Math.max(0, v)));
      case RELU_N1_TO_1 -> map(y, v -> Math.min(1, Math.max(-1, v)));
      case TANH -> map(y, v -> (float) Math.tanh(v));
    };
  }
}
