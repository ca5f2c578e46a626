package dev.tflite.convert.ir;

import org.tensorflow.lite.schema.ActivationFunctionType;

/** Activations that TensorFlow Lite kernels can apply in place ("fused activation function"). */
public enum Activation {
  NONE(ActivationFunctionType.NONE),
  RELU(ActivationFunctionType.RELU),
  RELU_N1_TO_1(ActivationFunctionType.RELU_N1_TO_1),
  RELU6(ActivationFunctionType.RELU6),
  TANH(ActivationFunctionType.TANH);

  private final byte code;

  Activation(byte code) {
    this.code = code;
  }

  public byte code() {
    return code;
  }
}
