package dev.tflite.convert.ir;

import org.tensorflow.lite.schema.BuiltinOperator;

/** The TensorFlow Lite builtin operators the converter emits. */
public enum OpType {
  ABS(BuiltinOperator.ABS),
  SUM(BuiltinOperator.SUM),
  SQRT(BuiltinOperator.SQRT),
  SLICE(BuiltinOperator.SLICE),
  RSQRT(BuiltinOperator.RSQRT),
  RESIZE_BILINEAR(BuiltinOperator.RESIZE_BILINEAR),
  MINIMUM(BuiltinOperator.MINIMUM),
  LOG(BuiltinOperator.LOG),
  CAST(BuiltinOperator.CAST),
  ADD(BuiltinOperator.ADD),
  AVERAGE_POOL_2D(BuiltinOperator.AVERAGE_POOL_2D),
  BATCH_TO_SPACE_ND(BuiltinOperator.BATCH_TO_SPACE_ND),
  CONCATENATION(BuiltinOperator.CONCATENATION),
  CONV_2D(BuiltinOperator.CONV_2D),
  DEPTHWISE_CONV_2D(BuiltinOperator.DEPTHWISE_CONV_2D),
  DEQUANTIZE(BuiltinOperator.DEQUANTIZE),
  DIV(BuiltinOperator.DIV),
  ELU(BuiltinOperator.ELU),
  EXP(BuiltinOperator.EXP),
  FAKE_QUANT(BuiltinOperator.FAKE_QUANT),
  FULLY_CONNECTED(BuiltinOperator.FULLY_CONNECTED),
  GATHER(BuiltinOperator.GATHER),
  LEAKY_RELU(BuiltinOperator.LEAKY_RELU),
  LOGISTIC(BuiltinOperator.LOGISTIC),
  MAX_POOL_2D(BuiltinOperator.MAX_POOL_2D),
  MAXIMUM(BuiltinOperator.MAXIMUM),
  MEAN(BuiltinOperator.MEAN),
  MUL(BuiltinOperator.MUL),
  NEG(BuiltinOperator.NEG),
  PAD(BuiltinOperator.PAD),
  PADV2(BuiltinOperator.PADV2),
  PRELU(BuiltinOperator.PRELU),
  QUANTIZE(BuiltinOperator.QUANTIZE),
  REDUCE_MAX(BuiltinOperator.REDUCE_MAX),
  RELU(BuiltinOperator.RELU),
  RELU6(BuiltinOperator.RELU6),
  RELU_N1_TO_1(BuiltinOperator.RELU_N1_TO_1),
  RESHAPE(BuiltinOperator.RESHAPE),
  RESIZE_NEAREST_NEIGHBOR(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR),
  SOFTMAX(BuiltinOperator.SOFTMAX),
  SPACE_TO_BATCH_ND(BuiltinOperator.SPACE_TO_BATCH_ND),
  SQUEEZE(BuiltinOperator.SQUEEZE),
  SUB(BuiltinOperator.SUB),
  TANH(BuiltinOperator.TANH),
  TRANSPOSE(BuiltinOperator.TRANSPOSE),
  TRANSPOSE_CONV(BuiltinOperator.TRANSPOSE_CONV);

  private final int builtinCode;

  OpType(int builtinCode) {
    this.builtinCode = builtinCode;
  }

  public int builtinCode() {
    return builtinCode;
  }
}
