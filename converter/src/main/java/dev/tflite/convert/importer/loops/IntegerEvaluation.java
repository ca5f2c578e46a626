package dev.tflite.convert.importer.loops;

import static dev.tflite.convert.importer.loops.KnownInts.UNKNOWN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.function.LongBinaryOperator;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * Works out small integer and boolean values in Java while loops are unrolled: the loop counters, the trip count
 * compared against them and the indices of tensor list reads and writes. Only the ops loop bookkeeping uses are
 * known here; anything else is left to TensorFlow (constant folding), and a loop whose condition needs it is refused.
 */
final class IntegerEvaluation {
  /** Integer constants larger than this are data, not bookkeeping. */
  private static final int MAX_ELEMENTS = 64;
  private static final Set<DataType> INTEGER_TYPES = Set.of(DataType.DT_INT32, DataType.DT_INT64, DataType.DT_BOOL,
      DataType.DT_INT16, DataType.DT_INT8, DataType.DT_UINT8);

  private IntegerEvaluation() {}

  /** The node's first output when every input it needs is known, else null. {@code shape} gives a tensor's inferred shape. */
  static KnownInts evaluate(NodeDef node, List<KnownInts> in, java.util.function.Function<Integer, long[]> inputShape) {
    return switch (node.getOp()) {
      case "Const" -> constant(node);
      case "Identity", "Snapshot", "StopGradient", "Enter", "Exit", "Switch", "NextIteration", "LoopCond" -> in.isEmpty() ? null : in.get(0);
      case "Shape" -> {
        long[] s = inputShape.apply(0);
        if (s == null) {
          yield null;
        }
        long[] v = new long[s.length];
        for (int i = 0; i < s.length; i++) {
          v[i] = s[i] < 0 ? UNKNOWN : s[i];
        }
        yield KnownInts.vector(v);
      }
      case "Size" -> {
        long[] s = inputShape.apply(0);
        yield s == null || java.util.Arrays.stream(s).anyMatch(d -> d < 0) ? null : KnownInts.scalar(java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b));
      }
      case "Rank" -> {
        long[] s = inputShape.apply(0);
        yield s == null ? null : KnownInts.scalar(s.length);
      }
      case "Add", "AddV2" -> binary(in, Long::sum);
      case "Sub" -> binary(in, (a, b) -> a - b);
      case "Mul" -> binary(in, (a, b) -> a * b);
      case "FloorDiv" -> binary(in, (a, b) -> b == 0 ? UNKNOWN : Math.floorDiv(a, b));
      case "FloorMod" -> binary(in, (a, b) -> b == 0 ? UNKNOWN : Math.floorMod(a, b));
      case "Maximum" -> binary(in, Math::max);
      case "Minimum" -> binary(in, Math::min);
      case "Less" -> binary(in, (a, b) -> a < b ? 1 : 0);
      case "LessEqual" -> binary(in, (a, b) -> a <= b ? 1 : 0);
      case "Greater" -> binary(in, (a, b) -> a > b ? 1 : 0);
      case "GreaterEqual" -> binary(in, (a, b) -> a >= b ? 1 : 0);
      case "Equal" -> binary(in, (a, b) -> a == b ? 1 : 0);
      case "NotEqual" -> binary(in, (a, b) -> a != b ? 1 : 0);
      case "LogicalAnd" -> binary(in, (a, b) -> a != 0 && b != 0 ? 1 : 0);
      case "LogicalOr" -> binary(in, (a, b) -> a != 0 || b != 0 ? 1 : 0);
      case "LogicalNot" -> unary(in, a -> a == 0 ? 1 : 0);
      case "Neg" -> unary(in, a -> -a);
      case "Cast" -> INTEGER_TYPES.contains(node.getAttrOrThrow("DstT").getType()) ? unary(in, a -> a) : null;
      case "Pack" -> pack(in);
      case "StridedSlice" -> stridedSlice(node, in);
      case "Range" -> range(in);
      case "Max", "Min", "Sum", "Prod" -> reduceAll(node.getOp(), in);
      default -> null;
    };
  }

  private static KnownInts constant(NodeDef node) {
    TensorProto t = node.getAttrOrThrow("value").getTensor();
    if (!INTEGER_TYPES.contains(t.getDtype()) || t.getTensorShape().getUnknownRank()) {
      return null;
    }
    long[] shape = t.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count > MAX_ELEMENTS || count < 0) {
      return null;
    }
    long[] values = new long[(int) count];
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count; i++) {
        values[i] = switch (t.getDtype()) {
          case DT_INT64 -> b.getLong();
          case DT_INT32 -> b.getInt();
          case DT_INT16 -> b.getShort();
          default -> b.get();
        };
      }
      return new KnownInts(shape, values);
    }
    int stored = switch (t.getDtype()) {
      case DT_INT64 -> t.getInt64ValCount();
      case DT_BOOL -> t.getBoolValCount();
      default -> t.getIntValCount();
    };
    for (int i = 0; i < count; i++) {
      int from = Math.min(i, stored - 1); // TensorProto repeats its last value to fill the shape
      values[i] = from < 0 ? 0 : switch (t.getDtype()) {
        case DT_INT64 -> t.getInt64Val(from);
        case DT_BOOL -> t.getBoolVal(from) ? 1 : 0;
        default -> t.getIntVal(from);
      };
    }
    return new KnownInts(shape, values);
  }

  private static KnownInts unary(List<KnownInts> in, java.util.function.LongUnaryOperator f) {
    if (in.isEmpty() || in.get(0) == null) {
      return null;
    }
    long[] v = in.get(0).values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] == UNKNOWN ? UNKNOWN : f.applyAsLong(v[i]);
    }
    return new KnownInts(in.get(0).shape(), v);
  }

  /** Elementwise with a scalar broadcast on either side. */
  private static KnownInts binary(List<KnownInts> in, LongBinaryOperator f) {
    if (in.size() < 2 || in.get(0) == null || in.get(1) == null) {
      return null;
    }
    KnownInts a = in.get(0);
    KnownInts b = in.get(1);
    if (a.values().length != b.values().length && a.values().length != 1 && b.values().length != 1) {
      return null;
    }
    KnownInts shapeOf = a.values().length >= b.values().length ? a : b;
    long[] v = new long[shapeOf.values().length];
    for (int i = 0; i < v.length; i++) {
      long x = a.values()[a.values().length == 1 ? 0 : i];
      long y = b.values()[b.values().length == 1 ? 0 : i];
      v[i] = x == UNKNOWN || y == UNKNOWN ? UNKNOWN : f.applyAsLong(x, y);
    }
    return new KnownInts(shapeOf.shape(), v);
  }

  private static KnownInts pack(List<KnownInts> in) {
    long[] v = new long[in.size()];
    for (int i = 0; i < v.length; i++) {
      if (in.get(i) == null || !in.get(i).isScalar()) {
        return null;
      }
      v[i] = in.get(i).scalarValue();
    }
    return KnownInts.vector(v);
  }

  /** 1-D slices of a known vector, as shape bookkeeping uses them ({@code shape[1]}, {@code shape[1:]}). */
  private static KnownInts stridedSlice(NodeDef node, List<KnownInts> in) {
    if (in.size() != 4 || in.stream().anyMatch(k -> k == null) || in.get(0).shape().length != 1
        || in.get(1).values().length != 1 || in.get(2).values().length != 1 || in.get(3).values().length != 1) {
      return null;
    }
    long ellipsis = node.getAttrOrDefault("ellipsis_mask", null) == null ? 0 : node.getAttrOrThrow("ellipsis_mask").getI();
    long newAxis = node.getAttrOrDefault("new_axis_mask", null) == null ? 0 : node.getAttrOrThrow("new_axis_mask").getI();
    if (ellipsis != 0 || newAxis != 0) {
      return null;
    }
    long[] data = in.get(0).values();
    int n = data.length;
    long stride = in.get(3).scalarValue();
    if (stride == 0 || stride == UNKNOWN) {
      return null;
    }
    boolean beginMask = (mask(node, "begin_mask") & 1) != 0;
    boolean endMask = (mask(node, "end_mask") & 1) != 0;
    boolean shrink = (mask(node, "shrink_axis_mask") & 1) != 0;
    long begin = in.get(1).scalarValue();
    long end = in.get(2).scalarValue();
    if (begin == UNKNOWN || end == UNKNOWN) {
      return null;
    }
    if (begin < 0) {
      begin += n;
    }
    if (shrink) {
      return begin < 0 || begin >= n ? null : KnownInts.scalar(data[(int) begin]);
    }
    if (end < 0) {
      end += n;
    }
    if (stride > 0) {
      begin = beginMask ? 0 : Math.max(0, Math.min(begin, n));
      end = endMask ? n : Math.max(0, Math.min(end, n));
    } else {
      begin = beginMask ? n - 1 : Math.max(-1, Math.min(begin, n - 1));
      end = endMask ? -1 : Math.max(-1, Math.min(end, n - 1));
    }
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (long i = begin; stride > 0 ? i < end : i > end; i += stride) {
      out.add(data[(int) i]);
    }
    return KnownInts.vector(out.stream().mapToLong(Long::longValue).toArray());
  }

  private static long mask(NodeDef node, String name) {
    return node.containsAttr(name) ? node.getAttrOrThrow(name).getI() : 0;
  }

  private static KnownInts range(List<KnownInts> in) {
    if (in.size() != 3 || in.stream().anyMatch(k -> k == null || !k.isScalar() || !k.fullyKnown())) {
      return null;
    }
    long start = in.get(0).scalarValue();
    long limit = in.get(1).scalarValue();
    long delta = in.get(2).scalarValue();
    if (delta == 0) {
      return null;
    }
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (long i = start; delta > 0 ? i < limit : i > limit; i += delta) {
      if (out.size() > MAX_ELEMENTS) {
        return null;
      }
      out.add(i);
    }
    return KnownInts.vector(out.stream().mapToLong(Long::longValue).toArray());
  }

  /** A reduction over every axis of a known tensor (what loop bookkeeping does: max over a range of a scalar's rank). */
  private static KnownInts reduceAll(String op, List<KnownInts> in) {
    if (in.size() != 2 || in.get(0) == null || !in.get(0).fullyKnown()) {
      return null;
    }
    KnownInts x = in.get(0);
    if (x.shape().length > 1 || (x.shape().length == 1 && (in.get(1) == null || in.get(1).values().length == 0))) {
      return null; // keep it to scalars and full reductions of vectors
    }
    long acc = switch (op) {
      case "Max" -> Long.MIN_VALUE + 1;
      case "Min" -> Long.MAX_VALUE;
      case "Sum" -> 0;
      default -> 1;
    };
    for (long v : x.values()) {
      acc = switch (op) {
        case "Max" -> Math.max(acc, v);
        case "Min" -> Math.min(acc, v);
        case "Sum" -> acc + v;
        default -> acc * v;
      };
    }
    return KnownInts.scalar(acc);
  }
}
