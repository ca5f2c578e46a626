package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.List;

/**
 * Neural-network ops: convolutions, dense layers, pooling, activations, batch normalization. Biases and
 * activations are emitted as separate ops here and fused by the passes, exactly as the official converter does.
 */
final class NnOps {
  private NnOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Conv2D", NnOps::conv2d);
    r.register("DepthwiseConv2dNative", NnOps::depthwiseConv2d);
    r.register("Conv2DBackpropInput", NnOps::transposeConv);
    r.register("MatMul", NnOps::matMul);
    r.register("BiasAdd", NnOps::biasAdd);
    r.register("MaxPool", ctx -> pool(ctx, OpType.MAX_POOL_2D, ctx.intsAttr("ksize"), ctx.intsAttr("strides")));
    r.register("MaxPoolV2", ctx -> pool(ctx, OpType.MAX_POOL_2D, ctx.constantInput(1, "ksize").longs(), ctx.constantInput(2, "strides").longs()));
    r.register("AvgPool", ctx -> pool(ctx, OpType.AVERAGE_POOL_2D, ctx.intsAttr("ksize"), ctx.intsAttr("strides")));
    r.register("Relu", ctx -> unary(ctx, OpType.RELU));
    r.register("Relu6", ctx -> unary(ctx, OpType.RELU6));
    r.register("Sigmoid", ctx -> unary(ctx, OpType.LOGISTIC));
    r.register("Tanh", ctx -> unary(ctx, OpType.TANH));
    r.register("Elu", ctx -> unary(ctx, OpType.ELU));
    r.register("LeakyRelu", ctx -> ctx.emit(OpType.LEAKY_RELU, List.of(ctx.input(0)), ctx.output(0), new OpOptions.LeakyRelu(ctx.floatAttr("alpha", 0.2f))));
    r.register("Softmax", ctx -> ctx.emit(OpType.SOFTMAX, List.of(ctx.input(0)), ctx.output(0), new OpOptions.Softmax(1.0f)));
    r.register("FusedBatchNorm", NnOps::batchNorm);
    r.register("FusedBatchNormV2", NnOps::batchNorm);
    r.register("FusedBatchNormV3", NnOps::batchNorm);
  }

  static void unary(LegalizeContext ctx, OpType type) {
    ctx.emit(type, List.of(ctx.input(0)), ctx.output(0), new OpOptions.None());
  }

  private static void conv2d(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    long[] strides = ctx.intsAttr("strides");
    long[] dilations = ctx.hasAttr("dilations") ? ctx.intsAttr("dilations") : new long[] {1, 1, 1, 1};
    TensorData filter = ctx.constantInput(1, "filter"); // HWIO
    Tensor weights = ctx.constant("filter_ohwi", ConstantLayouts.transpose(filter, new int[] {3, 0, 1, 2}));
    Tensor bias = ctx.constant("bias", ConstantLayouts.zeros(filter.shape()[3]));
    ctx.emit(OpType.CONV_2D, List.of(ctx.input(0), weights, bias), ctx.output(0),
        new OpOptions.Conv2D(SpatialAttributes.padding(ctx), (int) strides[1], (int) strides[2], (int) dilations[1], (int) dilations[2], Activation.NONE));
  }

  private static void depthwiseConv2d(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    long[] strides = ctx.intsAttr("strides");
    long[] dilations = ctx.hasAttr("dilations") ? ctx.intsAttr("dilations") : new long[] {1, 1, 1, 1};
    TensorData filter = ctx.constantInput(1, "filter"); // [H, W, C, M]
    long[] s = filter.shape();
    // TensorFlow Lite wants [1, H, W, C*M] with output channel c*M+m: the same memory order, so a reshape suffices.
    Tensor weights = ctx.constant("filter_1hwc", filter.reshaped(new long[] {1, s[0], s[1], s[2] * s[3]}));
    Tensor bias = ctx.constant("bias", ConstantLayouts.zeros(s[2] * s[3]));
    ctx.emit(OpType.DEPTHWISE_CONV_2D, List.of(ctx.input(0), weights, bias), ctx.output(0),
        new OpOptions.DepthwiseConv2D(SpatialAttributes.padding(ctx), (int) strides[1], (int) strides[2], (int) s[3], (int) dilations[1], (int) dilations[2], Activation.NONE));
  }

  /** conv2d_transpose: filter [H, W, out, in] becomes [out, H, W, in]; the output shape is the one TensorFlow inferred. */
  private static void transposeConv(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    long[] strides = ctx.intsAttr("strides");
    long[] dilations = ctx.hasAttr("dilations") ? ctx.intsAttr("dilations") : new long[] {1, 1, 1, 1};
    if (dilations[1] != 1 || dilations[2] != 1) {
      throw new UnsupportedNodeException("dilated transposed convolution is not supported");
    }
    TensorData filter = ctx.constantInput(1, "filter");
    Tensor weights = ctx.constant("filter_ohwi", ConstantLayouts.transpose(filter, new int[] {2, 0, 1, 3}));
    // Keras computes the output shape from the batch: when that stays a run-time value, the kernel reads it
    Tensor outputShape = ctx.isConstant(0) ? ctx.constant("output_shape", ConstantLayouts.int32Vector(ctx.outputShape(0)))
        : ShapeOps.int32Operand(ctx, 0, "output_shape");
    ctx.emit(OpType.TRANSPOSE_CONV, List.of(outputShape, weights, ctx.input(2)), ctx.output(0),
        new OpOptions.TransposeConv(SpatialAttributes.padding(ctx), (int) strides[1], (int) strides[2]));
  }

  private static void matMul(LegalizeContext ctx) {
    if (ctx.boolAttr("transpose_a", false)) {
      throw new UnsupportedNodeException("transpose_a=true is not supported");
    }
    if (ctx.inputInfo(0).shape() == null || ctx.inputInfo(0).shape().length != 2) {
      throw new UnsupportedNodeException("only rank-2 inputs are supported");
    }
    TensorData b = ctx.constantInput(1, "weight matrix");
    TensorData outIn = ctx.boolAttr("transpose_b", false) ? b : ConstantLayouts.transpose(b, new int[] {1, 0});
    Tensor weights = ctx.constant("weights", outIn);
    Tensor bias = ctx.constant("bias", ConstantLayouts.zeros(outIn.shape()[0]));
    ctx.emit(OpType.FULLY_CONNECTED, List.of(ctx.input(0), weights, bias), ctx.output(0),
        new OpOptions.FullyConnected(Activation.NONE, false, false));
  }

  private static void biasAdd(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    ctx.emit(OpType.ADD, List.of(ctx.input(0), ctx.input(1)), ctx.output(0), new OpOptions.Add(Activation.NONE));
  }

  private static void pool(LegalizeContext ctx, OpType type, long[] ksize, long[] strides) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    if (ksize[0] != 1 || ksize[3] != 1 || strides[0] != 1 || strides[3] != 1) {
      throw new UnsupportedNodeException("pooling across the batch or channel dimension is not supported");
    }
    ctx.emit(type, List.of(ctx.input(0)), ctx.output(0),
        new OpOptions.Pool2D(SpatialAttributes.padding(ctx), (int) strides[1], (int) strides[2], (int) ksize[1], (int) ksize[2], Activation.NONE));
  }

  /** Inference batch norm: y = x * m + (offset - mean * m) with m = scale / sqrt(variance + epsilon). */
  private static void batchNorm(LegalizeContext ctx) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    if (ctx.boolAttr("is_training", false)) {
      throw new UnsupportedNodeException("is_training=true; export the model for inference (training=False)");
    }
    float epsilon = ctx.floatAttr("epsilon", 1e-4f);
    float[] scale = ctx.constantInput(1, "scale").floats();
    float[] offset = ctx.constantInput(2, "offset").floats();
    float[] mean = ctx.constantInput(3, "mean").floats();
    float[] variance = ctx.constantInput(4, "variance").floats();
    int channels = scale.length;
    float[] multiplier = new float[channels];
    float[] shift = new float[channels];
    for (int c = 0; c < channels; c++) {
      multiplier[c] = (float) (scale[c] / Math.sqrt(variance[c] + (double) epsilon));
      shift[c] = offset[c] - mean[c] * multiplier[c];
    }
    Tensor scaled = ctx.intermediate("mul", DType.FLOAT32, ctx.outputShape(0));
    ctx.emit(OpType.MUL, List.of(ctx.input(0), ctx.constant("multiplier", TensorData.ofFloats(new long[] {channels}, multiplier))), scaled,
        new OpOptions.Mul(Activation.NONE));
    ctx.emit(OpType.ADD, List.of(scaled, ctx.constant("shift", TensorData.ofFloats(new long[] {channels}, shift))), ctx.output(0),
        new OpOptions.Add(Activation.NONE));
  }
}
