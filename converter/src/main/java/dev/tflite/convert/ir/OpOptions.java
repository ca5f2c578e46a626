package dev.tflite.convert.ir;

import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BatchToSpaceNDOptionsT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.FakeQuantOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.LeakyReluOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;
import org.tensorflow.lite.schema.ResizeNearestNeighborOptionsT;
import org.tensorflow.lite.schema.TransposeConvOptionsT;
import org.tensorflow.lite.schema.TransposeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SpaceToBatchNDOptionsT;
import org.tensorflow.lite.schema.SqueezeOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;

/**
 * Builtin options of an operator, one record per options table, each knowing its flatbuffer form. Adding an op
 * with options means adding one record here.
 */
public sealed interface OpOptions {

  /** The flatbuffer union written into the operator. */
  BuiltinOptionsUnion toUnion();

  /** Options of ops that can apply an activation in place. */
  sealed interface WithActivation extends OpOptions {
    Activation activation();

    WithActivation withActivation(Activation activation);
  }

  enum Padding {
    SAME(org.tensorflow.lite.schema.Padding.SAME),
    VALID(org.tensorflow.lite.schema.Padding.VALID);

    private final byte code;

    Padding(byte code) {
      this.code = code;
    }
  }

  record Conv2D(Padding padding, int strideH, int strideW, int dilationH, int dilationW, Activation activation) implements WithActivation {
    public Conv2D withActivation(Activation a) {
      return new Conv2D(padding, strideH, strideW, dilationH, dilationW, a);
    }

    public BuiltinOptionsUnion toUnion() {
      Conv2DOptionsT t = new Conv2DOptionsT();
      t.setPadding(padding.code);
      t.setStrideH(strideH);
      t.setStrideW(strideW);
      t.setDilationHFactor(dilationH);
      t.setDilationWFactor(dilationW);
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.Conv2DOptions, t);
    }
  }

  record DepthwiseConv2D(Padding padding, int strideH, int strideW, int depthMultiplier, int dilationH, int dilationW, Activation activation) implements WithActivation {
    public DepthwiseConv2D withActivation(Activation a) {
      return new DepthwiseConv2D(padding, strideH, strideW, depthMultiplier, dilationH, dilationW, a);
    }

    public BuiltinOptionsUnion toUnion() {
      DepthwiseConv2DOptionsT t = new DepthwiseConv2DOptionsT();
      t.setPadding(padding.code);
      t.setStrideH(strideH);
      t.setStrideW(strideW);
      t.setDepthMultiplier(depthMultiplier);
      t.setDilationHFactor(dilationH);
      t.setDilationWFactor(dilationW);
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.DepthwiseConv2DOptions, t);
    }
  }

  /** {@code asymmetricQuantizeInputs} is set by dynamic-range quantization, as the official converter does. */
  record FullyConnected(Activation activation, boolean keepNumDims, boolean asymmetricQuantizeInputs) implements WithActivation {
    public FullyConnected withActivation(Activation a) {
      return new FullyConnected(a, keepNumDims, asymmetricQuantizeInputs);
    }

    public FullyConnected withAsymmetricQuantizeInputs(boolean asymmetric) {
      return new FullyConnected(activation, keepNumDims, asymmetric);
    }

    public BuiltinOptionsUnion toUnion() {
      FullyConnectedOptionsT t = new FullyConnectedOptionsT();
      t.setFusedActivationFunction(activation.code());
      t.setKeepNumDims(keepNumDims);
      t.setAsymmetricQuantizeInputs(asymmetricQuantizeInputs);
      return union(BuiltinOptions.FullyConnectedOptions, t);
    }
  }

  record Pool2D(Padding padding, int strideH, int strideW, int filterH, int filterW, Activation activation) implements WithActivation {
    public Pool2D withActivation(Activation a) {
      return new Pool2D(padding, strideH, strideW, filterH, filterW, a);
    }

    public BuiltinOptionsUnion toUnion() {
      Pool2DOptionsT t = new Pool2DOptionsT();
      t.setPadding(padding.code);
      t.setStrideH(strideH);
      t.setStrideW(strideW);
      t.setFilterHeight(filterH);
      t.setFilterWidth(filterW);
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.Pool2DOptions, t);
    }
  }

  /**
   * {@code potScaleInt16} false selects the general int16 kernel (any input scales, op version 3), as the official
   * converter writes int16x8 models; the schema's default, true, is the power-of-two kernel, which refuses most scale pairs.
   */
  record Add(Activation activation, boolean potScaleInt16) implements WithActivation {
    public Add(Activation activation) {
      this(activation, true);
    }

    public Add withActivation(Activation a) {
      return new Add(a, potScaleInt16);
    }

    public Add withGeneralInt16Scales() {
      return new Add(activation, false);
    }

    public BuiltinOptionsUnion toUnion() {
      AddOptionsT t = new AddOptionsT();
      t.setFusedActivationFunction(activation.code());
      t.setPotScaleInt16(potScaleInt16);
      return union(BuiltinOptions.AddOptions, t);
    }
  }

  /**
   * {@code potScaleInt16} false selects the general int16 kernel (any input scales, op version 5), as the official
   * converter writes int16x8 models; the schema's default, true, is the power-of-two kernel, which refuses most scale pairs.
   */
  record Sub(Activation activation, boolean potScaleInt16) implements WithActivation {
    public Sub(Activation activation) {
      this(activation, true);
    }

    public Sub withActivation(Activation a) {
      return new Sub(a, potScaleInt16);
    }

    public Sub withGeneralInt16Scales() {
      return new Sub(activation, false);
    }

    public BuiltinOptionsUnion toUnion() {
      SubOptionsT t = new SubOptionsT();
      t.setFusedActivationFunction(activation.code());
      t.setPotScaleInt16(potScaleInt16);
      return union(BuiltinOptions.SubOptions, t);
    }
  }

  record Mul(Activation activation) implements WithActivation {
    public Mul withActivation(Activation a) {
      return new Mul(a);
    }

    public BuiltinOptionsUnion toUnion() {
      MulOptionsT t = new MulOptionsT();
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.MulOptions, t);
    }
  }

  record Div(Activation activation) implements WithActivation {
    public Div withActivation(Activation a) {
      return new Div(a);
    }

    public BuiltinOptionsUnion toUnion() {
      DivOptionsT t = new DivOptionsT();
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.DivOptions, t);
    }
  }

  record Concatenation(int axis, Activation activation) implements WithActivation {
    public Concatenation withActivation(Activation a) {
      return new Concatenation(axis, a);
    }

    public BuiltinOptionsUnion toUnion() {
      ConcatenationOptionsT t = new ConcatenationOptionsT();
      t.setAxis(axis);
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.ConcatenationOptions, t);
    }
  }

  record Softmax(float beta) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      SoftmaxOptionsT t = new SoftmaxOptionsT();
      t.setBeta(beta);
      return union(BuiltinOptions.SoftmaxOptions, t);
    }
  }

  record Reshape(int[] newShape) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      ReshapeOptionsT t = new ReshapeOptionsT();
      t.setNewShape(newShape.clone());
      return union(BuiltinOptions.ReshapeOptions, t);
    }
  }

  record Squeeze(int[] squeezeDims) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      SqueezeOptionsT t = new SqueezeOptionsT();
      t.setSqueezeDims(squeezeDims.clone());
      return union(BuiltinOptions.SqueezeOptions, t);
    }
  }

  record Reducer(boolean keepDims) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      ReducerOptionsT t = new ReducerOptionsT();
      t.setKeepDims(keepDims);
      return union(BuiltinOptions.ReducerOptions, t);
    }
  }

  record FakeQuant(float min, float max, int numBits, boolean narrowRange) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      FakeQuantOptionsT t = new FakeQuantOptionsT();
      t.setMin(min);
      t.setMax(max);
      t.setNumBits(numBits);
      t.setNarrowRange(narrowRange);
      return union(BuiltinOptions.FakeQuantOptions, t);
    }
  }

  record LeakyRelu(float alpha) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      LeakyReluOptionsT t = new LeakyReluOptionsT();
      t.setAlpha(alpha);
      return union(BuiltinOptions.LeakyReluOptions, t);
    }
  }

  record ResizeNearestNeighbor(boolean alignCorners, boolean halfPixelCenters) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      ResizeNearestNeighborOptionsT t = new ResizeNearestNeighborOptionsT();
      t.setAlignCorners(alignCorners);
      t.setHalfPixelCenters(halfPixelCenters);
      return union(BuiltinOptions.ResizeNearestNeighborOptions, t);
    }
  }

  record ResizeBilinear(boolean alignCorners, boolean halfPixelCenters) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      ResizeBilinearOptionsT t = new ResizeBilinearOptionsT();
      t.setAlignCorners(alignCorners);
      t.setHalfPixelCenters(halfPixelCenters);
      return union(BuiltinOptions.ResizeBilinearOptions, t);
    }
  }

  record TransposeConv(Padding padding, int strideH, int strideW) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      TransposeConvOptionsT t = new TransposeConvOptionsT();
      t.setPadding(padding.code);
      t.setStrideH(strideH);
      t.setStrideW(strideW);
      return union(BuiltinOptions.TransposeConvOptions, t);
    }
  }

  record Gather(int axis) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      GatherOptionsT t = new GatherOptionsT();
      t.setAxis(axis);
      return union(BuiltinOptions.GatherOptions, t);
    }
  }

  record Transpose() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return union(BuiltinOptions.TransposeOptions, new TransposeOptionsT());
    }
  }

  /** EXPAND_DIMS: the axis is an input; the table is empty. */
  record ExpandDims() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return union(BuiltinOptions.ExpandDimsOptions, new org.tensorflow.lite.schema.ExpandDimsOptionsT());
    }
  }

  record Pad() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return union(BuiltinOptions.PadOptions, new PadOptionsT());
    }
  }

  /** SPACE_TO_BATCH_ND: block shape and paddings are inputs; the table is empty. */
  record SpaceToBatchNd() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return union(BuiltinOptions.SpaceToBatchNDOptions, new SpaceToBatchNDOptionsT());
    }
  }

  /** BATCH_TO_SPACE_ND: block shape and crops are inputs; the table is empty. */
  record BatchToSpaceNd() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return union(BuiltinOptions.BatchToSpaceNDOptions, new BatchToSpaceNDOptionsT());
    }
  }

  record Pack(int valuesCount, int axis) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.PackOptionsT t = new org.tensorflow.lite.schema.PackOptionsT();
      t.setValuesCount(valuesCount);
      t.setAxis(axis);
      return union(BuiltinOptions.PackOptions, t);
    }
  }

  record Unpack(int num, int axis) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.UnpackOptionsT t = new org.tensorflow.lite.schema.UnpackOptionsT();
      t.setNum(num);
      t.setAxis(axis);
      return union(BuiltinOptions.UnpackOptions, t);
    }
  }

  record Split(int numSplits) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.SplitOptionsT t = new org.tensorflow.lite.schema.SplitOptionsT();
      t.setNumSplits(numSplits);
      return union(BuiltinOptions.SplitOptions, t);
    }
  }

  record SplitV(int numSplits) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.SplitVOptionsT t = new org.tensorflow.lite.schema.SplitVOptionsT();
      t.setNumSplits(numSplits);
      return union(BuiltinOptions.SplitVOptions, t);
    }
  }

  /** Masks as TensorFlow's StridedSlice has them; the legalization writes ellipsis and new axes out, so those stay 0. */
  record StridedSlice(int beginMask, int endMask, int shrinkAxisMask) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.StridedSliceOptionsT t = new org.tensorflow.lite.schema.StridedSliceOptionsT();
      t.setBeginMask(beginMask);
      t.setEndMask(endMask);
      t.setShrinkAxisMask(shrinkAxisMask);
      return union(BuiltinOptions.StridedSliceOptions, t);
    }
  }

  /** ARG_MAX and ARG_MIN: the index type written. */
  record ArgMinMax(boolean max, DType outputType) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      if (max) {
        org.tensorflow.lite.schema.ArgMaxOptionsT t = new org.tensorflow.lite.schema.ArgMaxOptionsT();
        t.setOutputType(outputType.tfliteType());
        return union(BuiltinOptions.ArgMaxOptions, t);
      }
      org.tensorflow.lite.schema.ArgMinOptionsT t = new org.tensorflow.lite.schema.ArgMinOptionsT();
      t.setOutputType(outputType.tfliteType());
      return union(BuiltinOptions.ArgMinOptions, t);
    }
  }

  record DepthToSpace(int blockSize) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.DepthToSpaceOptionsT t = new org.tensorflow.lite.schema.DepthToSpaceOptionsT();
      t.setBlockSize(blockSize);
      return union(BuiltinOptions.DepthToSpaceOptions, t);
    }
  }

  record SpaceToDepth(int blockSize) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.SpaceToDepthOptionsT t = new org.tensorflow.lite.schema.SpaceToDepthOptionsT();
      t.setBlockSize(blockSize);
      return union(BuiltinOptions.SpaceToDepthOptions, t);
    }
  }

  record MirrorPad(boolean symmetric) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.MirrorPadOptionsT t = new org.tensorflow.lite.schema.MirrorPadOptionsT();
      t.setMode(symmetric ? org.tensorflow.lite.schema.MirrorPadMode.SYMMETRIC : org.tensorflow.lite.schema.MirrorPadMode.REFLECT);
      return union(BuiltinOptions.MirrorPadOptions, t);
    }
  }

  record BatchMatMul(boolean adjX, boolean adjY) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.BatchMatMulOptionsT t = new org.tensorflow.lite.schema.BatchMatMulOptionsT();
      t.setAdjX(adjX);
      t.setAdjY(adjY);
      return union(BuiltinOptions.BatchMatMulOptions, t);
    }
  }

  record Cumsum(boolean exclusive, boolean reverse) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.CumsumOptionsT t = new org.tensorflow.lite.schema.CumsumOptionsT();
      t.setExclusive(exclusive);
      t.setReverse(reverse);
      return union(BuiltinOptions.CumsumOptions, t);
    }
  }

  record OneHot(int axis) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.OneHotOptionsT t = new org.tensorflow.lite.schema.OneHotOptionsT();
      t.setAxis(axis);
      return union(BuiltinOptions.OneHotOptions, t);
    }
  }

  /** CONV_3D and CONV_3D_TRANSPOSE (the transposed op ignores the dilations and the activation is NONE there). */
  record Conv3D(Padding padding, int strideD, int strideH, int strideW, int dilationD, int dilationH, int dilationW, Activation activation)
      implements WithActivation {
    public Conv3D withActivation(Activation a) {
      return new Conv3D(padding, strideD, strideH, strideW, dilationD, dilationH, dilationW, a);
    }

    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.Conv3DOptionsT t = new org.tensorflow.lite.schema.Conv3DOptionsT();
      t.setPadding(padding.code);
      t.setStrideD(strideD);
      t.setStrideH(strideH);
      t.setStrideW(strideW);
      t.setDilationDFactor(dilationD);
      t.setDilationHFactor(dilationH);
      t.setDilationWFactor(dilationW);
      t.setFusedActivationFunction(activation.code());
      return union(BuiltinOptions.Conv3DOptions, t);
    }
  }

  /** L2_NORMALIZATION over the last axis; the kernels accept no fused activation but NONE. */
  record L2Norm() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return union(BuiltinOptions.L2NormOptions, new org.tensorflow.lite.schema.L2NormOptionsT());
    }
  }

  /** GELU: {@code approximate} selects the tanh form over the exact erf one. */
  record Gelu(boolean approximate) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.GeluOptionsT t = new org.tensorflow.lite.schema.GeluOptionsT();
      t.setApproximate(approximate);
      return union(BuiltinOptions.GeluOptions, t);
    }
  }

  /** Ops without an options table (RELU, LOGISTIC, PRELU, DEQUANTIZE, ...). */
  /**
   * UNIDIRECTIONAL_SEQUENCE_LSTM: the cell's activation (the kernel applies it to the candidate and the cell; the
   * gates always go through sigmoid), clips (0: none), batch-major layout, and the hybrid kernel's input quantization.
   */
  record UnidirectionalSequenceLstm(Activation activation, float cellClip, float projClip, boolean timeMajor, boolean asymmetricQuantizeInputs)
      implements OpOptions {
    public UnidirectionalSequenceLstm withAsymmetricQuantizeInputs(boolean asymmetric) {
      return new UnidirectionalSequenceLstm(activation, cellClip, projClip, timeMajor, asymmetric);
    }

    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT t = new org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT();
      t.setFusedActivationFunction(activation.code());
      t.setCellClip(cellClip);
      t.setProjClip(projClip);
      t.setTimeMajor(timeMajor);
      t.setAsymmetricQuantizeInputs(asymmetricQuantizeInputs);
      return union(BuiltinOptions.UnidirectionalSequenceLSTMOptions, t);
    }
  }

  /** UNIDIRECTIONAL_SEQUENCE_RNN: batch-major, the cell's activation, the hybrid kernel's input quantization. */
  record SequenceRnn(boolean timeMajor, Activation activation, boolean asymmetricQuantizeInputs) implements OpOptions {
    public SequenceRnn withAsymmetricQuantizeInputs(boolean asymmetric) {
      return new SequenceRnn(timeMajor, activation, asymmetric);
    }

    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.SequenceRNNOptionsT t = new org.tensorflow.lite.schema.SequenceRNNOptionsT();
      t.setTimeMajor(timeMajor);
      t.setFusedActivationFunction(activation.code());
      t.setAsymmetricQuantizeInputs(asymmetricQuantizeInputs);
      return union(BuiltinOptions.SequenceRNNOptions, t);
    }
  }

  /** SHAPE: the index type it writes (int32 or int64). */
  record Shape(DType outputType) implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      org.tensorflow.lite.schema.ShapeOptionsT t = new org.tensorflow.lite.schema.ShapeOptionsT();
      t.setOutType(outputType.tfliteType());
      return union(BuiltinOptions.ShapeOptions, t);
    }
  }

  record None() implements OpOptions {
    public BuiltinOptionsUnion toUnion() {
      return null;
    }
  }

  private static BuiltinOptionsUnion union(byte type, Object value) {
    BuiltinOptionsUnion u = new BuiltinOptionsUnion();
    u.setType(type);
    u.setValue(value);
    return u;
  }
}
