package dev.tflite.convert.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One TensorFlow Lite builtin operator in the IR. Inputs may contain null for an omitted optional input.
 * {@code origin} names the TensorFlow node(s) it came from.
 */
public final class Operator {
  private final OpType type;
  private final List<Tensor> inputs;
  private final List<Tensor> outputs;
  private OpOptions options;
  private final String origin;
  /** Tensors a kernel reads only the quantization of (the integer sequence LSTM's gate and hidden scales); usually none. */
  private List<Tensor> intermediates = List.of();

  public Operator(OpType type, List<Tensor> inputs, List<Tensor> outputs, OpOptions options, String origin) {
    this.type = type;
    this.inputs = new ArrayList<>(inputs);
    this.outputs = new ArrayList<>(outputs);
    this.options = options;
    this.origin = origin;
  }

  public OpType type() {
    return type;
  }

  public List<Tensor> inputs() {
    return Collections.unmodifiableList(inputs);
  }

  public Tensor input(int index) {
    return index < inputs.size() ? inputs.get(index) : null;
  }

  public void setInput(int index, Tensor tensor) {
    inputs.set(index, tensor);
  }

  public List<Tensor> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  public Tensor output(int index) {
    return outputs.get(index);
  }

  public void setOutput(int index, Tensor tensor) {
    outputs.set(index, tensor);
  }

  public OpOptions options() {
    return options;
  }

  @SuppressWarnings("unchecked")
  public <T extends OpOptions> T options(Class<T> type) {
    return (T) options;
  }

  public void setOptions(OpOptions options) {
    this.options = options;
  }

  public String origin() {
    return origin;
  }

  public List<Tensor> intermediates() {
    return intermediates;
  }

  public void setIntermediates(List<Tensor> tensors) {
    this.intermediates = List.copyOf(tensors);
  }

  @Override
  public String toString() {
    return type + "(" + inputs + " -> " + outputs + ")";
  }
}
