package dev.tflite.convert.importer.keras;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/** Pooling as Keras runs it: 2D pools in NHWC; 1D pools over [N, W, 1, C]; global pools as reductions. */
final class PoolingLayers {
  private PoolingLayers() {}

  static Operand<TFloat32> maxPool2d(LayerContext c) {
    return pool2d(c, true);
  }

  static Operand<TFloat32> averagePool2d(LayerContext c) {
    return pool2d(c, false);
  }

  private static Operand<TFloat32> pool2d(LayerContext c, boolean max) {
    c.requireChannelsLast();
    long[] size = c.pair("pool_size", new long[] {2, 2});
    long[] strides = c.pair("strides", size);
    return pool(c, c.input(), size, strides, max);
  }

  private static Operand<TFloat32> pool(LayerContext c, Operand<TFloat32> x, long[] size, long[] strides, boolean max) {
    String padding = c.string("padding", "valid").toUpperCase();
    return max ? c.tf.withName("MaxPool").nn.maxPool(x, c.tf.constant(new int[] {1, (int) size[0], (int) size[1], 1}),
        c.tf.constant(new int[] {1, (int) strides[0], (int) strides[1], 1}), padding)
        : c.tf.withName("AvgPool").nn.avgPool(x, List.of(1L, size[0], size[1], 1L), List.of(1L, strides[0], strides[1], 1L), padding);
  }

  static Operand<TFloat32> maxPool3d(LayerContext c) {
    return pool3d(c, true);
  }

  static Operand<TFloat32> averagePool3d(LayerContext c) {
    return pool3d(c, false);
  }

  /** MaxPooling3D / AveragePooling3D: one MaxPool3D / AvgPool3D over depth, height and width. */
  private static Operand<TFloat32> pool3d(LayerContext c, boolean max) {
    c.requireChannelsLast();
    long[] size = c.ints("pool_size", 3, new long[] {2, 2, 2});
    long[] strides = c.ints("strides", 3, size);
    String padding = c.string("padding", "valid").toUpperCase();
    List<Long> window = List.of(1L, size[0], size[1], size[2], 1L);
    List<Long> step = List.of(1L, strides[0], strides[1], strides[2], 1L);
    return max ? c.tf.withName("MaxPool3D").nn.maxPool3d(c.input(), window, step, padding)
        : c.tf.withName("AvgPool3D").nn.avgPool3d(c.input(), window, step, padding);
  }

  static Operand<TFloat32> maxPool1d(LayerContext c) {
    return pool1d(c, true);
  }

  static Operand<TFloat32> averagePool1d(LayerContext c) {
    return pool1d(c, false);
  }

  /** 1D pooling as Keras runs it: expand to [N, W, 1, C], pool over (p, 1), squeeze. */
  private static Operand<TFloat32> pool1d(LayerContext c, boolean max) {
    c.requireChannelsLast();
    long size = c.ints("pool_size", 1, new long[] {2})[0];
    long stride = c.ints("strides", 1, new long[] {size})[0];
    Operand<TFloat32> x = c.tf.withName("ExpandDims").expandDims(c.input(), c.tf.constant(2));
    Operand<TFloat32> y = pool(c, x, new long[] {size, 1}, new long[] {stride, 1}, max);
    return c.tf.withName("Squeeze").squeeze(y, Squeeze.axis(List.of(2L)));
  }

  static Operand<TFloat32> globalAverage1d(LayerContext c) {
    if (CallMasks.mask(c, 0) != null) {
      return maskedAverage1d(c);
    }
    return globalAverage(c, new int[] {c.channelsFirst() ? 2 : 1});
  }

  /**
   * Under Keras' implicit mask: the kept steps' sum over their count, sum(x × m) / sum(m), as Keras computes it (a
   * row whose steps are all masked divides 0 by 0 there too).
   */
  private static Operand<TFloat32> maskedAverage1d(LayerContext c) {
    c.requireChannelsLast();
    Operand<TFloat32> keep = c.tf.withName("mask_steps").expandDims(c.tf.withName("mask_float").dtypes.cast(CallMasks.mask(c, 0), TFloat32.class),
        c.tf.constant(-1));
    Sum.Options keepDims = Sum.keepDims(c.bool("keepdims", false));
    Operand<TFloat32> sum = c.tf.withName("masked_sum").sum(c.tf.withName("masked").math.mul(c.input(), keep), c.tf.constant(1), keepDims);
    Operand<TFloat32> count = c.tf.withName("mask_count").sum(keep, c.tf.constant(1), keepDims);
    return c.tf.withName("masked_mean").math.div(sum, count);
  }

  static Operand<TFloat32> globalMax1d(LayerContext c) {
    return globalMax(c, new int[] {c.channelsFirst() ? 2 : 1});
  }

  static Operand<TFloat32> globalAverage2d(LayerContext c) {
    return globalAverage(c, c.channelsFirst() ? new int[] {2, 3} : new int[] {1, 2});
  }

  static Operand<TFloat32> globalMax2d(LayerContext c) {
    return globalMax(c, c.channelsFirst() ? new int[] {2, 3} : new int[] {1, 2});
  }

  private static Operand<TFloat32> globalAverage(LayerContext c, int[] axes) {
    return c.tf.withName("Mean").math.mean(c.input(), c.tf.constant(axes), Mean.keepDims(c.bool("keepdims", false)));
  }

  private static Operand<TFloat32> globalMax(LayerContext c, int[] axes) {
    return c.tf.withName("Max").max(c.input(), c.tf.constant(axes), Max.keepDims(c.bool("keepdims", false)));
  }
}
