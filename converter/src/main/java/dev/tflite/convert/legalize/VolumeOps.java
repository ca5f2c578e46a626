package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpOptions.Padding;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.List;

/**
 * Volumetric (NDHWC) ops: 3-D convolutions become CONV_3D / CONV_3D_TRANSPOSE (TensorFlow Lite keeps TensorFlow's
 * filter layouts for both, so the weights are written as they are), and 3-D pooling, which has no builtin in 2.6 (the
 * official converter writes the custom ops MaxPool3D / AveragePool3D, which need a custom kernel), becomes two 2-D
 * pools: a box window is separable, max of maxes is the max, and for SAME average pooling the count of valid
 * elements of a 3-D window is the product of its per-axis counts, so the average of the per-plane averages divides
 * by exactly the count TensorFlow divides by.
 */
final class VolumeOps {
  private VolumeOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Conv3D", VolumeOps::conv3d);
    r.register("Conv3DBackpropInputV2", VolumeOps::conv3dTranspose);
    r.register("MaxPool3D", ctx -> pool3d(ctx, OpType.MAX_POOL_2D));
    r.register("AvgPool3D", ctx -> pool3d(ctx, OpType.AVERAGE_POOL_2D));
  }

  private static void conv3d(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NDHWC");
    long[] s = ctx.intsAttr("strides");
    long[] d = ctx.hasAttr("dilations") ? ctx.intsAttr("dilations") : new long[] {1, 1, 1, 1, 1};
    requireSpatialOnly(s, "strides");
    requireSpatialOnly(d, "dilations");
    TensorData filter = ctx.constantInput(1, "filter"); // DHWIO, CONV_3D's own layout
    Tensor bias = ctx.constant("bias", ConstantLayouts.zeros(filter.shape()[4]));
    ctx.emit(OpType.CONV_3D, List.of(ctx.input(0), ctx.input(1), bias), ctx.output(0),
        new OpOptions.Conv3D(SpatialAttributes.padding(ctx), (int) s[1], (int) s[2], (int) s[3], (int) d[1], (int) d[2], (int) d[3], Activation.NONE));
  }

  /** conv3d_transpose: the output shape is the one TensorFlow inferred; the filter [D, H, W, out, in] is CONV_3D_TRANSPOSE's layout. */
  private static void conv3dTranspose(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NDHWC");
    long[] s = ctx.intsAttr("strides");
    long[] d = ctx.hasAttr("dilations") ? ctx.intsAttr("dilations") : new long[] {1, 1, 1, 1, 1};
    requireSpatialOnly(s, "strides");
    for (long v : d) {
      if (v != 1) {
        throw new UnsupportedNodeException("dilated transposed 3-D convolution is not supported");
      }
    }
    ctx.constantInput(1, "filter");
    long[] out = ctx.outputShape(0);
    if (!Shapes.isFullyKnown(out)) {
      throw new UnsupportedNodeException("its output shape is not known at conversion time; configure concrete input shapes");
    }
    Tensor outputShape = ctx.constant("output_shape", ConstantLayouts.int32Vector(out));
    ctx.emit(OpType.CONV_3D_TRANSPOSE, List.of(outputShape, ctx.input(1), ctx.input(2)), ctx.output(0),
        new OpOptions.Conv3D(SpatialAttributes.padding(ctx), (int) s[1], (int) s[2], (int) s[3], 1, 1, 1, Activation.NONE));
  }

  /**
   * [N, D, H, W, C] → [N·D, H, W, C] → 2-D pool over H, W → [N, D, H'·W', C] → 2-D pool over D with a (kd, 1) window
   * → [N, D', H', W', C]. The depth stage is left out for a window and stride of 1 in depth.
   */
  private static void pool3d(LegalizeContext ctx, OpType pool) {
    SpatialAttributes.requireChannelsLast(ctx, "NDHWC");
    long[] k = ctx.intsAttr("ksize");
    long[] s = ctx.intsAttr("strides");
    if (k[0] != 1 || k[4] != 1 || s[0] != 1 || s[4] != 1) {
      throw new UnsupportedNodeException("pooling across the batch or channel dimension is not supported");
    }
    long[] in = ctx.inputInfo(0).shape();
    long[] out = ctx.outputShape(0);
    if (in == null || !Shapes.isFullyKnown(in) || !Shapes.isFullyKnown(out)) {
      throw new UnsupportedNodeException("its input shape is not known at conversion time; configure concrete input shapes");
    }
    Padding padding = SpatialAttributes.padding(ctx);
    boolean dynamicBatch = ctx.outputDynamic(0)[0];
    long n = in[0];
    Tensor planes = reshape(ctx, "planes", ctx.input(0), new long[] {n * in[1], in[2], in[3], in[4]}, dynamicBatch);
    Tensor pooledPlanes = ctx.intermediate("plane_pool", planes.type(), new long[] {n * in[1], out[2], out[3], in[4]});
    pooledPlanes.setDynamicDims(new boolean[] {dynamicBatch, false, false, false});
    ctx.emit(pool, List.of(planes), pooledPlanes, new OpOptions.Pool2D(padding, (int) s[2], (int) s[3], (int) k[2], (int) k[3], Activation.NONE));
    if (k[1] == 1 && s[1] == 1) {
      ArrayOps.reshapeTo(ctx, pooledPlanes);
      return;
    }
    Tensor columns = reshape(ctx, "depth_columns", pooledPlanes, new long[] {n, in[1], out[2] * out[3], in[4]}, dynamicBatch);
    Tensor pooledColumns = ctx.intermediate("depth_pool", planes.type(), new long[] {n, out[1], out[2] * out[3], in[4]});
    pooledColumns.setDynamicDims(new boolean[] {dynamicBatch, false, false, false});
    ctx.emit(pool, List.of(columns), pooledColumns, new OpOptions.Pool2D(padding, (int) s[1], 1, (int) k[1], 1, Activation.NONE));
    ArrayOps.reshapeTo(ctx, pooledColumns);
  }

  /** A RESHAPE to {@code shape} whose leading dimension is written as -1 when it follows the dynamic batch. */
  private static Tensor reshape(LegalizeContext ctx, String name, Tensor input, long[] shape, boolean dynamicBatch) {
    Tensor t = ctx.intermediate(name, input.type(), shape);
    t.setDynamicDims(new boolean[] {dynamicBatch, false, false, false});
    long[] target = shape.clone();
    if (dynamicBatch) {
      target[0] = -1;
    }
    ctx.emit(OpType.RESHAPE, List.of(input, ctx.constant(name + "_shape", ConstantLayouts.int32Vector(target))), t,
        new OpOptions.Reshape(Shapes.toInts(target)));
    return t;
  }

  private static void requireSpatialOnly(long[] values, String attr) {
    if (values.length != 5 || values[0] != 1 || values[4] != 1) {
      throw new UnsupportedNodeException(attr + " over the batch or channel dimension are not supported");
    }
  }
}
