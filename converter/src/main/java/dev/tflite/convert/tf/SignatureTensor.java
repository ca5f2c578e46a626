package dev.tflite.convert.tf;

import org.tensorflow.proto.DataType;

/**
 * One input or output of the model's signature: its public name (the signature key, e.g. {@code dense_input}), the
 * graph tensor it maps to, its type and its declared shape (-1 for unknown dimensions, null for unknown rank).
 */
public record SignatureTensor(String name, TensorName tensor, DataType type, long[] shape) {

  public SignatureTensor withTensor(TensorName newTensor) {
    return new SignatureTensor(name, newTensor, type, shape);
  }

  public SignatureTensor withShape(long[] newShape) {
    return new SignatureTensor(name, tensor, type, newShape);
  }
}
