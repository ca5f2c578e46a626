package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ops.OpContract;
import dev.tflite.convert.ops.OpContracts;

/**
 * Dynamic-range quantization as the official converter does it: constant float weights of at least 1024 elements
 * feeding an op whose {@link OpContract} has a hybrid kernel become symmetric int8 (its weight operand, along its weight axis); activations stay float and the kernel quantizes them on
 * the fly. CONV_2D and DEPTHWISE_CONV_2D are per output channel; FULLY_CONNECTED per tensor (the 2.6 hybrid kernel
 * reads a single scale) with asymmetric input quantization.
 */
final class DynamicRangeQuantizer implements Quantizer {
  static final int MIN_ELEMENTS = 1024;

  @Override
  public void quantize(Graph graph, QuantizationContext context) {
    QuantizationOptions options = context.options();
    for (Operator op : graph.operators()) {
      OpContract contract = OpContracts.of(op.type());
      if (!contract.weightGroup().isEmpty()) {
        if (!options.keepsFloat(op) && contract.hybrid()) {
          quantizeGroup(graph, op, contract);
        }
        continue;
      }
      Integer axis = options.keepsFloat(op) || !contract.hybrid() ? null : contract.weightAxis();
      if (axis != null && !options.perChannel() && op.type() == OpType.CONV_2D) {
        axis = -1; // per-tensor on request; the depthwise hybrid kernel of the 2.6 runtime needs per-channel scales
      }
      Tensor weights = axis == null ? null : op.input(contract.weightIndex());
      if (weights == null || !weights.isConstant() || weights.type() != DType.FLOAT32
          || weights.data().elementCount() < MIN_ELEMENTS || graph.consumers(weights).size() != 1) {
        continue;
      }
      WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(weights.data(), axis);
      weights.setData(q.data());
      weights.setQuantization(q.quantization());
      if (op.options() instanceof OpOptions.FullyConnected fc) {
        op.setOptions(fc.withAsymmetricQuantizeInputs(true));
      }
    }
  }

  /**
   * An op whose hybrid kernel reads several weight operands as int8 together (the sequence LSTM's eight gate
   * matrices, the sequence RNN's two: their 2.6 kernels take all of them int8 or none): each per tensor, when together they hold at least
   * {@link #MIN_ELEMENTS} elements (the Keras layer's kernel and recurrent kernel, the size the official rule sees).
   */
  private static void quantizeGroup(Graph graph, Operator op, OpContract contract) {
    long elements = 0;
    for (int index : contract.weightGroup()) {
      Tensor w = op.input(index);
      if (w == null || !w.isConstant() || w.type() != DType.FLOAT32 || graph.consumers(w).size() != 1) {
        return;
      }
      elements += w.data().elementCount();
    }
    if (elements < MIN_ELEMENTS) {
      return;
    }
    for (int index : contract.weightGroup()) {
      Tensor w = op.input(index);
      WeightQuantization.Quantized q = WeightQuantization.symmetricInt8(w.data(), -1);
      w.setData(q.data());
      w.setQuantization(q.quantization());
    }
    if (op.options() instanceof OpOptions.UnidirectionalSequenceLstm lstm) {
      op.setOptions(lstm.withAsymmetricQuantizeInputs(true));
    } else if (op.options() instanceof OpOptions.SequenceRnn rnn) {
      op.setOptions(rnn.withAsymmetricQuantizeInputs(true));
    }
  }
}
