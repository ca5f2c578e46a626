package dev.tflite.convert.tf;

import org.tensorflow.proto.DataType;

/** Type and statically inferred shape of a graph tensor (shape null when the rank is unknown). */
public record TensorInfo(DataType type, long[] shape) {}
