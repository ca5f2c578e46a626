package dev.tflite.convert.tf;

import dev.tflite.convert.ir.TensorData;
import java.util.Map;

/**
 * A frozen TensorFlow graph ready for legalization: identities removed, constants folded, every tensor's type and
 * shape inferred (at batch 1 for unknown dimensions), the values of the constants that non-constant nodes read, and
 * which tensor dimensions stay dynamic.
 */
public record PreparedGraph(TfGraph graph, Map<TensorName, TensorInfo> tensors, Map<TensorName, TensorData> constants,
    Map<TensorName, boolean[]> dynamicDims, PreparedGraph staticForm) {

  public PreparedGraph(TfGraph graph, Map<TensorName, TensorInfo> tensors, Map<TensorName, TensorData> constants) {
    this(graph, tensors, constants, Map.of(), null);
  }

  /**
   * The same model with every shape folded at its concrete input shapes, when this one keeps shape computations at run
   * time so that it resizes; null otherwise. Conversion falls back to it when an op cannot take a computed shape.
   */
  public PreparedGraph staticForm() {
    return staticForm;
  }

  /** This graph, with the folded form to fall back to. */
  public PreparedGraph withStaticForm(PreparedGraph folded) {
    return new PreparedGraph(graph, tensors, constants, dynamicDims, folded);
  }

  /** Which dimensions of a tensor change with the model's unknown input dimensions (all false when static). */
  public boolean[] dynamic(TensorName tensor) {
    boolean[] d = dynamicDims.get(tensor);
    TensorInfo info = tensors.get(tensor);
    return d != null ? d.clone() : new boolean[info == null || info.shape() == null ? 0 : info.shape().length];
  }

  public PreparedGraph withDynamicDims(Map<TensorName, boolean[]> dims) {
    return new PreparedGraph(graph, tensors, constants, Map.copyOf(dims), staticForm);
  }

  public TensorInfo info(TensorName tensor) {
    return tensors.get(tensor);
  }

  public TensorData constant(TensorName tensor) {
    return constants.get(tensor);
  }
}
