package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;

/** Shape and layout ops: reshape, squeeze, concatenation, padding. */
final class ArrayOps {
  private ArrayOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Reshape", ArrayOps::reshape);
    r.register("Squeeze", ArrayOps::squeeze);
    r.register("ConcatV2", ArrayOps::concat);
    r.register("Pad", ArrayOps::pad);
    r.register("ExpandDims", ArrayOps::reshape);
    r.register("Transpose", ArrayOps::transpose);
    r.register("GatherV2", ArrayOps::gather);
    r.register("ResizeNearestNeighbor", ArrayOps::resizeNearest);
    r.register("PadV2", ArrayOps::padV2);
    r.register("Cast", ArrayOps::cast);
    r.register("Slice", ArrayOps::slice);
    r.register("ResizeBilinear", ArrayOps::resizeBilinear);
    r.register("SpaceToBatchND", ctx -> blockOp(ctx, OpType.SPACE_TO_BATCH_ND, "paddings", new OpOptions.SpaceToBatchNd()));
    r.register("BatchToSpaceND", ctx -> blockOp(ctx, OpType.BATCH_TO_SPACE_ND, "crops", new OpOptions.BatchToSpaceNd()));
  }

  /**
   * The target shape is the one TensorFlow inferred, so Keras' computed shapes (Shape/StridedSlice/Pack) need no
   * run-time op; a dimension that follows the dynamic batch is written as -1, so the model still reshapes correctly
   * after the batch is resized.
   */
  private static void reshape(LegalizeContext ctx) {
    if (ctx.node().getOp().equals("Reshape") && !ctx.isConstant(1)) {
      // a target computed at run time (it follows the dynamic batch): RESHAPE reads it, so the model resizes
      ctx.emit(OpType.RESHAPE, List.of(ctx.input(0), ShapeOps.int32Operand(ctx, 1, "shape")), ctx.output(0), new OpOptions.None());
      return;
    }
    reshapeTo(ctx, ctx.input(0));
  }

  /**
   * RESHAPE of {@code input} to the node's output shape (its dynamic dimension written as -1). With two or more dynamic
   * dimensions a target cannot follow them; inserting or removing one unit dimension is then EXPAND_DIMS or SQUEEZE,
   * which compute the shape from the input at run time (a Conv1D over an open sequence length).
   */
  static void reshapeTo(LegalizeContext ctx, Tensor input) {
    long[] out = ctx.outputShape(0);
    if (!Shapes.isFullyKnown(out)) {
      throw new UnsupportedNodeException("its output shape is not known at conversion time; configure concrete input shapes");
    }
    long[] target = out.clone();
    boolean[] dynamic = ctx.outputDynamic(0);
    int dynamicCount = 0;
    for (boolean d : dynamic) {
      dynamicCount += d ? 1 : 0;
    }
    if (dynamicCount > 1 && UnitDimensions.emit(ctx, input, input.shape(), input.dynamicDims(), out, dynamic)) {
      return;
    }
    if (dynamicCount == 1) {
      for (int i = 0; i < target.length; i++) {
        if (dynamic[i]) {
          target[i] = -1;
        }
      }
    }
    ctx.emit(OpType.RESHAPE, List.of(input, ctx.constant("shape", ConstantLayouts.int32Vector(target))), ctx.output(0),
        new OpOptions.Reshape(Shapes.toInts(target)));
  }

  private static void squeeze(LegalizeContext ctx) {
    int rank = ctx.inputInfo(0).shape().length;
    long[] dims = ctx.hasAttr("squeeze_dims") ? ctx.intsAttr("squeeze_dims") : new long[0];
    int[] normalized = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      normalized[i] = (int) (dims[i] < 0 ? dims[i] + rank : dims[i]);
    }
    ctx.emit(OpType.SQUEEZE, List.of(ctx.input(0)), ctx.output(0), new OpOptions.Squeeze(normalized));
  }

  private static void concat(LegalizeContext ctx) {
    int n = ctx.inputCount() - 1;
    int rank = ctx.outputShape(0).length;
    long axis = ctx.constantInput(n, "axis").longs()[0];
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inputs.add(ctx.input(i));
    }
    ctx.emit(OpType.CONCATENATION, inputs, ctx.output(0), new OpOptions.Concatenation((int) (axis < 0 ? axis + rank : axis), Activation.NONE));
  }

  /** GatherV2 with a constant axis and no batch dimensions: TensorFlow Lite's GATHER (embedding lookups). */
  private static void gather(LegalizeContext ctx) {
    if (ctx.hasAttr("batch_dims") && ctx.attr("batch_dims").getI() != 0) {
      throw new UnsupportedNodeException("batch_dims other than 0 is not supported");
    }
    int rank = ctx.inputInfo(0).shape().length;
    long axis = ctx.constantInput(2, "axis").longs()[0];
    ctx.emit(OpType.GATHER, List.of(ctx.input(0), ctx.input(1)), ctx.output(0), new OpOptions.Gather((int) (axis < 0 ? axis + rank : axis)));
  }

  private static void transpose(LegalizeContext ctx) {
    TensorData perm = ConstantLayouts.toInt32(ctx.constantInput(1, "permutation"));
    ctx.emit(OpType.TRANSPOSE, List.of(ctx.input(0), ctx.constant("perm", perm)), ctx.output(0), new OpOptions.Transpose());
  }

  private static void resizeNearest(LegalizeContext ctx) {
    TensorData size = ConstantLayouts.toInt32(ctx.constantInput(1, "size"));
    ctx.emit(OpType.RESIZE_NEAREST_NEIGHBOR, List.of(ctx.input(0), ctx.constant("size", size)), ctx.output(0),
        new OpOptions.ResizeNearestNeighbor(ctx.boolAttr("align_corners", false), ctx.boolAttr("half_pixel_centers", false)));
  }

  /** Between float32, int32, int64 and bool (float to int truncates toward zero in both runtimes). */
  private static void cast(LegalizeContext ctx) {
    var from = ctx.inputInfo(0).type();
    var to = ctx.node().getAttrOrThrow("DstT").getType();
    java.util.Set<org.tensorflow.proto.DataType> supported = java.util.Set.of(org.tensorflow.proto.DataType.DT_FLOAT, org.tensorflow.proto.DataType.DT_INT32,
        org.tensorflow.proto.DataType.DT_INT64, org.tensorflow.proto.DataType.DT_BOOL);
    if (!supported.contains(from) || !supported.contains(to)) {
      throw new UnsupportedNodeException("only casts between float32, int32, int64 and bool are supported (" + from + " to " + to + ")");
    }
    ctx.emit(OpType.CAST, List.of(ctx.input(0)), ctx.output(0), new OpOptions.None());
  }

  /** Slice with constant begin and size (size -1: to the end), e.g. Keras' cropping layers. */
  private static void slice(LegalizeContext ctx) {
    TensorData begin = ConstantLayouts.toInt32(ctx.constantInput(1, "begin"));
    TensorData size = ConstantLayouts.toInt32(ctx.constantInput(2, "size"));
    ctx.emit(OpType.SLICE, List.of(ctx.input(0), ctx.constant("begin", begin), ctx.constant("size", size)), ctx.output(0), new OpOptions.None());
  }

  private static void resizeBilinear(LegalizeContext ctx) {
    TensorData size = ConstantLayouts.toInt32(ctx.constantInput(1, "size"));
    ctx.emit(OpType.RESIZE_BILINEAR, List.of(ctx.input(0), ctx.constant("size", size)), ctx.output(0),
        new OpOptions.ResizeBilinear(ctx.boolAttr("align_corners", false), ctx.boolAttr("half_pixel_centers", false)));
  }

  /** PadV2 with a zero fill is a plain PAD; any other fill value needs PADV2. */
  private static void padV2(LegalizeContext ctx) {
    TensorData fill = ctx.constantInput(2, "constant value");
    if (fill.type() == dev.tflite.convert.ir.DType.FLOAT32 && fill.floats()[0] == 0f) {
      pad(ctx);
      return;
    }
    TensorData paddings = ConstantLayouts.toInt32(ctx.constantInput(1, "paddings"));
    ctx.emit(OpType.PADV2, List.of(ctx.input(0), ctx.constant("paddings", paddings), ctx.input(2)), ctx.output(0), new OpOptions.None());
  }

  /**
   * SpaceToBatchND / BatchToSpaceND on a 4-D NHWC tensor with constant block shape and paddings (or crops), the form
   * TensorFlow's Python layers wrap around a dilated convolution; {@code FoldDilatedConvolution} folds that pattern
   * back into one dilated convolution. TensorFlow Lite 2.6 runs them on 4-D tensors only.
   */
  private static void blockOp(LegalizeContext ctx, OpType type, String role, OpOptions options) {
    long[] in = ctx.inputInfo(0).shape();
    // 5-D (three spatial dimensions) only as Keras runs a dilated Conv3D: FoldDilatedConvolution folds it into CONV_3D
    // or fails the conversion naming the node
    if (in == null || (in.length != 4 && in.length != 5)) {
      throw new UnsupportedNodeException("only 4-D inputs (NHWC with two spatial dimensions) are supported, but the input has shape "
          + java.util.Arrays.toString(in));
    }
    TensorData block = ConstantLayouts.toInt32(ctx.constantInput(1, "block shape"));
    TensorData amounts = ConstantLayouts.toInt32(ctx.constantInput(2, role));
    ctx.emit(type, List.of(ctx.input(0), ctx.constant("block_shape", block), ctx.constant(role, amounts)), ctx.output(0), options);
  }

  private static void pad(LegalizeContext ctx) {
    TensorData paddings = ConstantLayouts.toInt32(ctx.constantInput(1, "paddings"));
    ctx.emit(OpType.PAD, List.of(ctx.input(0), ctx.constant("paddings", paddings)), ctx.output(0), new OpOptions.Pad());
  }
}
