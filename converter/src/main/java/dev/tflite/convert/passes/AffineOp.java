package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where an op with constant weights keeps them: the weight input, the bias input, and the weight axis that runs over
 * output channels (TensorFlow Lite layouts: conv OHWI, depthwise 1HWO, fully-connected [out, in], transpose-conv OHWI, 3-D conv DHWIO).
 * These are the ops a following constant Mul/Div/Add/Sub can be folded into.
 */
record AffineOp(int weightsIndex, int biasIndex, int channelAxis) {
  private static final Map<OpType, AffineOp> OPS = Map.of(
      OpType.CONV_2D, new AffineOp(1, 2, 0),
      OpType.DEPTHWISE_CONV_2D, new AffineOp(1, 2, 3),
      OpType.FULLY_CONNECTED, new AffineOp(1, 2, 0),
      OpType.TRANSPOSE_CONV, new AffineOp(1, 3, 0),
      OpType.CONV_3D, new AffineOp(1, 2, 4));

  static AffineOp of(OpType type) {
    return OPS.get(type);
  }

  /**
   * The affine op writing {@code t}, when {@code t} has no other reader and is no graph output, the op applies no fused
   * activation, and its weights (and bias, if any) are float constants.
   */
  static Operator foldableProducer(Graph graph, Tensor t) {
    Operator producer = Patterns.exclusiveProducer(graph, t, OPS.keySet());
    if (producer == null || activation(producer) != Activation.NONE) {
      return null;
    }
    AffineOp affine = of(producer.type());
    Tensor weights = producer.input(affine.weightsIndex());
    Tensor bias = producer.input(affine.biasIndex());
    boolean floatWeights = weights != null && weights.isConstant() && weights.type() == DType.FLOAT32;
    boolean floatBias = bias == null || (bias.isConstant() && bias.type() == DType.FLOAT32);
    return floatWeights && floatBias ? producer : null;
  }

  /** Output channels: the size of the weights' channel axis. */
  long channels(Operator op) {
    return op.input(weightsIndex).dim(channelAxis);
  }

  /** The op's bias values, zeros when it has none. */
  float[] biasValues(Operator op) {
    Tensor bias = op.input(biasIndex);
    return bias == null ? new float[(int) channels(op)] : bias.data().floats();
  }

  /**
   * Sets the bias to {@code values}; an op written without a bias input (transpose-conv) is replaced by one with it,
   * which is returned.
   */
  Operator withBias(Graph graph, Operator op, float[] values) {
    Tensor old = op.input(biasIndex);
    String name = old != null ? old.name() : op.output(0).name() + "/bias";
    Tensor bias = graph.newConstant(name, TensorData.ofFloats(new long[] {values.length}, values), old != null ? old.origin() : op.origin());
    if (biasIndex < op.inputs().size()) {
      op.setInput(biasIndex, bias);
      return op;
    }
    List<Tensor> inputs = new ArrayList<>(op.inputs());
    while (inputs.size() < biasIndex) {
      inputs.add(null);
    }
    inputs.add(bias);
    Operator replacement = new Operator(op.type(), inputs, op.outputs(), op.options(), op.origin());
    graph.replaceOperator(op, replacement);
    return replacement;
  }

  static Activation activation(Operator op) {
    return op.options() instanceof OpOptions.WithActivation w ? w.activation() : Activation.NONE;
  }

  /** Whether {@code op} can carry the fused activation of a binary op it absorbs (TRANSPOSE_CONV has none in 2.6). */
  static boolean canTake(Operator op, Activation activation) {
    return activation == Activation.NONE || op.options() instanceof OpOptions.WithActivation;
  }

  static void setActivation(Operator op, Activation activation) {
    if (activation != Activation.NONE) {
      op.setOptions(((OpOptions.WithActivation) op.options()).withActivation(activation));
    }
  }
}
