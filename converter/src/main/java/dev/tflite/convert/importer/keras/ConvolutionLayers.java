package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ir.TensorData;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Convolutions as Keras runs them: NHWC, Keras' padding names, 1D convolutions as 2D ones over a height of 1. */
final class ConvolutionLayers {
  private ConvolutionLayers() {}

  /** Grouped convolutions (groups > 1) run as one convolution with a block-diagonal kernel: the same sums, zeros added. */
  static Operand<TFloat32> conv2d(LayerContext c) {
    c.requireChannelsLast();
    int groups = (int) c.number("groups", 1);
    Operand<TFloat32> kernel = groups == 1 ? c.weight("kernel") : c.constant(blockDiagonal(c.weightData("kernel"), groups), "kernel");
    long[] strides = c.pair("strides", new long[] {1, 1});
    long[] dilation = c.pair("dilation_rate", new long[] {1, 1});
    Operand<TFloat32> y = c.tf.withName("Conv2D").nn.conv2d(c.input(), kernel, List.of(1L, strides[0], strides[1], 1L), padding(c),
        Conv2d.dilations(List.of(1L, dilation[0], dilation[1], 1L)));
    return biasAndActivation(c, y);
  }

  /** Conv3D as Keras runs it: one Conv3D (DHWIO kernel, strides and dilations per spatial axis), bias, activation. */
  static Operand<TFloat32> conv3d(LayerContext c) {
    c.requireChannelsLast();
    if (c.number("groups", 1) != 1) {
      throw new UnsupportedLayerException("groups other than 1 are not supported for Conv3D");
    }
    long[] strides = c.ints("strides", 3, new long[] {1, 1, 1});
    long[] dilation = c.ints("dilation_rate", 3, new long[] {1, 1, 1});
    Operand<TFloat32> y = c.tf.withName("Conv3D").nn.conv3d(c.input(), c.weight("kernel"), List.of(1L, strides[0], strides[1], strides[2], 1L),
        padding(c), org.tensorflow.op.nn.Conv3d.dilations(List.of(1L, dilation[0], dilation[1], dilation[2], 1L)));
    return biasAndActivation(c, y);
  }

  static Operand<TFloat32> depthwiseConv2d(LayerContext c) {
    c.requireChannelsLast();
    return biasAndActivation(c, depthwise(c, c.input(), c.weight("depthwise_kernel"), "depthwise"));
  }

  /** SeparableConv2D: depthwise then 1x1 pointwise convolution, then bias and activation (tf.nn.separable_conv2d). */
  static Operand<TFloat32> separableConv2d(LayerContext c) {
    c.requireChannelsLast();
    Operand<TFloat32> depthwise = depthwise(c, c.input(), c.weight("depthwise_kernel"), "separable_conv2d_depthwise");
    Operand<TFloat32> y = c.tf.withName("separable_conv2d").nn.conv2d(depthwise, c.weight("pointwise_kernel"), List.of(1L, 1L, 1L, 1L), "VALID");
    return biasAndActivation(c, y);
  }

  private static Operand<TFloat32> depthwise(LayerContext c, Operand<TFloat32> x, Operand<TFloat32> kernel, String opName) {
    long[] strides = c.pair("strides", new long[] {1, 1});
    long[] dilation = c.pair("dilation_rate", new long[] {1, 1});
    return c.tf.withName(opName).nn.depthwiseConv2dNative(x, kernel, List.of(1L, strides[0], strides[1], 1L), padding(c),
        DepthwiseConv2dNative.dilations(List.of(1L, dilation[0], dilation[1], 1L)));
  }

  /** Conv2DTranspose: conv2d_transpose with the output shape Keras computes (batch from the input), then bias. */
  static Operand<TFloat32> conv2dTranspose(LayerContext c) {
    c.requireChannelsLast();
    if (c.config.hasNonNull("output_padding")) {
      throw new UnsupportedLayerException("output_padding is not supported");
    }
    long[] k = c.pair("kernel_size", null);
    long[] strides = c.pair("strides", new long[] {1, 1});
    boolean same = c.string("padding", "valid").equals("same");
    long[] in = c.inputShape();
    long filters = c.weightData("kernel").shape()[2];
    long h = same ? in[1] * strides[0] : (in[1] - 1) * strides[0] + k[0];
    long w = same ? in[2] * strides[1] : (in[2] - 1) * strides[1] + k[1];
    Operand<TInt32> batch = c.tf.withName("strided_slice").stridedSlice(c.tf.withName("Shape").shape(c.input()), c.tf.constant(new int[] {0}),
        c.tf.constant(new int[] {1}), c.tf.constant(new int[] {1}), StridedSlice.shrinkAxisMask(1L));
    Operand<TInt32> outputShape = c.tf.withName("stack").stack(List.of(batch, c.tf.constant((int) h), c.tf.constant((int) w),
        c.tf.constant((int) filters)));
    Operand<TFloat32> y = c.tf.withName("conv2d_transpose").nn.conv2dBackpropInput(outputShape, c.weight("kernel"), c.input(),
        List.of(1L, strides[0], strides[1], 1L), padding(c));
    return biasAndActivation(c, y);
  }

  /** Conv1D as TensorFlow runs it: expand to [N, 1, W, C], Conv2D with a [1, k, in, out] kernel, squeeze. */
  static Operand<TFloat32> conv1d(LayerContext c) {
    requireChannelsLast1d(c);
    long stride = c.ints("strides", 1, new long[] {1})[0];
    long dilation = c.ints("dilation_rate", 1, new long[] {1})[0];
    Operand<TFloat32> x = c.tf.withName("conv1d_ExpandDims").expandDims(c.input(), c.tf.constant(-3));
    var kernel = c.weightData("kernel");
    long[] ks = kernel.shape();
    Operand<TFloat32> filter = c.constant(kernel.reshaped(new long[] {1, ks[0], ks[1], ks[2]}), "kernel");
    Operand<TFloat32> y = c.tf.withName("conv1d").nn.conv2d(x, filter, List.of(1L, 1L, stride, 1L), padding(c),
        Conv2d.dilations(List.of(1L, 1L, dilation, 1L)));
    y = c.tf.withName("conv1d_Squeeze").squeeze(y, Squeeze.axis(List.of(-3L)));
    return biasAndActivation(c, y);
  }

  /** [kh, kw, in/g, out] grouped kernel → [kh, kw, in, out], group i's filters reading only group i's channels. */
  private static TensorData blockDiagonal(TensorData grouped, int groups) {
    long[] s = grouped.shape();
    int kh = (int) s[0];
    int kw = (int) s[1];
    int groupIn = (int) s[2];
    int out = (int) s[3];
    int groupOut = out / groups;
    int in = groupIn * groups;
    float[] g = grouped.floats();
    float[] full = new float[kh * kw * in * out];
    for (int p = 0; p < kh * kw; p++) {
      for (int i = 0; i < groupIn; i++) {
        for (int o = 0; o < out; o++) {
          int group = o / groupOut;
          full[(p * in + group * groupIn + i) * out + o] = g[(p * groupIn + i) * out + o];
        }
      }
    }
    return TensorData.ofFloats(new long[] {kh, kw, in, out}, full);
  }

  /** DepthwiseConv1D: [N, 1, W, C] through a depthwise convolution with a [1, k, C, multiplier] kernel, squeezed. */
  static Operand<TFloat32> depthwiseConv1d(LayerContext c) {
    requireChannelsLast1d(c);
    Operand<TFloat32> y = depthwise1d(c, c.weightData("depthwise_kernel"), "depthwise");
    return biasAndActivation(c, c.tf.withName("Squeeze").squeeze(y, Squeeze.axis(List.of(-3L))));
  }

  /** SeparableConv1D: the 1D depthwise convolution, then a pointwise [1, 1, C*m, filters] convolution, squeezed. */
  static Operand<TFloat32> separableConv1d(LayerContext c) {
    requireChannelsLast1d(c);
    Operand<TFloat32> depthwise = depthwise1d(c, c.weightData("depthwise_kernel"), "separable_conv1d_depthwise");
    TensorData pointwise = c.weightData("pointwise_kernel");
    long[] ps = pointwise.shape();
    Operand<TFloat32> y = c.tf.withName("separable_conv1d").nn.conv2d(depthwise, c.constant(pointwise.reshaped(new long[] {1, ps[0], ps[1], ps[2]}),
        "pointwise_kernel"), List.of(1L, 1L, 1L, 1L), "VALID");
    return biasAndActivation(c, c.tf.withName("Squeeze").squeeze(y, Squeeze.axis(List.of(-3L))));
  }

  private static Operand<TFloat32> depthwise1d(LayerContext c, TensorData kernel, String opName) {
    long stride = c.ints("strides", 1, new long[] {1})[0];
    long dilation = c.ints("dilation_rate", 1, new long[] {1})[0];
    long[] ks = kernel.shape();
    Operand<TFloat32> x = c.tf.withName("ExpandDims").expandDims(c.input(), c.tf.constant(-3));
    return c.tf.withName(opName).nn.depthwiseConv2dNative(x, c.constant(kernel.reshaped(new long[] {1, ks[0], ks[1], ks[2]}), "depthwise_kernel"),
        List.of(1L, 1L, stride, 1L), padding(c), DepthwiseConv2dNative.dilations(List.of(1L, 1L, dilation, 1L)));
  }

  private static void requireChannelsLast1d(LayerContext c) {
    if (c.channelsFirst() || c.string("padding", "valid").equals("causal")) {
      throw new UnsupportedLayerException("only channels_last 1D convolutions with valid or same padding are supported");
    }
  }

  private static String padding(LayerContext c) {
    return c.string("padding", "valid").toUpperCase();
  }

  /** What every weighted layer ends with: the optional bias, then its activation. */
  static Operand<TFloat32> biasAndActivation(LayerContext c, Operand<TFloat32> y) {
    Operand<TFloat32> out = y;
    if (c.bool("use_bias", true)) {
      out = c.tf.withName("BiasAdd").nn.biasAdd(out, c.weight("bias"));
    }
    return c.activate(out);
  }
}
