package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import java.util.List;

/**
 * A reshape that only inserts one unit dimension (EXPAND_DIMS) or only removes unit dimensions (SQUEEZE): these ops
 * take the other dimensions from their input at run time, so they follow any number of dynamic dimensions, where a
 * RESHAPE's constant target holds one -1.
 */
final class UnitDimensions {
  private UnitDimensions() {}

  /** Emits the op for {@code in} → {@code out} and returns true, or returns false when the reshape is no such op. */
  static boolean emit(LegalizeContext ctx, Tensor input, long[] in, boolean[] inDynamic, long[] out, boolean[] outDynamic) {
    if (out.length == in.length + 1) {
      for (int axis = 0; axis < out.length; axis++) {
        if (out[axis] == 1 && !outDynamic[axis] && sameWithout(out, outDynamic, axis, in, inDynamic)) {
          ctx.emit(OpType.EXPAND_DIMS, List.of(input, ctx.constant("axis", ConstantLayouts.int32Vector(axis))), ctx.output(0), new OpOptions.ExpandDims());
          return true;
        }
      }
      return false;
    }
    if (out.length < in.length) {
      int[] removed = new int[in.length - out.length];
      int r = 0;
      int o = 0;
      for (int i = 0; i < in.length; i++) {
        if (o < out.length && in[i] == out[o] && inDynamic[i] == outDynamic[o]) {
          o++;
        } else if (in[i] == 1 && !inDynamic[i] && r < removed.length) {
          removed[r++] = i;
        } else {
          return false;
        }
      }
      if (o != out.length || r != removed.length) {
        return false;
      }
      ctx.emit(OpType.SQUEEZE, List.of(input), ctx.output(0), new OpOptions.Squeeze(removed));
      return true;
    }
    return false;
  }

  /** {@code longer} without its dimension {@code axis} is {@code shorter}, dynamic dimensions included. */
  private static boolean sameWithout(long[] longer, boolean[] longerDynamic, int axis, long[] shorter, boolean[] shorterDynamic) {
    for (int i = 0, j = 0; i < longer.length; i++) {
      if (i == axis) {
        continue;
      }
      if (longer[i] != shorter[j] || longerDynamic[i] != (j < shorterDynamic.length && shorterDynamic[j])) {
        return false;
      }
      j++;
    }
    return true;
  }
}
