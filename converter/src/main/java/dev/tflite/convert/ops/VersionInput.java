package dev.tflite.convert.ops;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;

/** What op_version.cc looks at when it picks an op version: the operand types, the weights, the options. */
public final class VersionInput {
  private final Operator op;

  VersionInput(Operator op) {
    this.op = op;
  }

  public Operator op() {
    return op;
  }

  public DType inputType() {
    return op.input(0) == null ? null : op.input(0).type();
  }

  public DType outputType() {
    return op.output(0).type();
  }

  public boolean int8() {
    return inputType() == DType.INT8;
  }

  public boolean int16() {
    return inputType() == DType.INT16;
  }

  /** Input 1, the weights of weighted ops. */
  public Tensor weights() {
    return op.inputs().size() > 1 ? op.input(1) : null;
  }

  /** Float activations with int8 weights: a hybrid (dynamic-range) kernel. */
  public boolean hybrid() {
    Tensor w = weights();
    return inputType() == DType.FLOAT32 && w != null && w.type() == DType.INT8;
  }

  public int rank() {
    return op.input(0).shape().length;
  }

  public <T extends OpOptions> T options(Class<T> type) {
    return op.options(type);
  }

  /** Weights with more than one distinct scale (the runtime treats equal per-channel scales as per-tensor). */
  public boolean perChannelWeights() {
    Tensor w = weights();
    Quantization q = w == null ? null : w.quantization();
    if (q == null || q.scales().length < 2) {
      return false;
    }
    for (float s : q.scales()) {
      if (s != q.scales()[0]) {
        return true;
      }
    }
    return false;
  }

  /** int8 MUL whose input scales multiply to at least its output scale (a kernel path added in 1.15). */
  public boolean rescalesUp() {
    Quantization a = op.input(0).quantization();
    Quantization b = op.input(1).quantization();
    Quantization out = op.output(0).quantization();
    if (a == null || b == null || out == null) {
      return false;
    }
    return (double) a.scales()[0] * b.scales()[0] / out.scales()[0] >= 1.0;
  }
}
