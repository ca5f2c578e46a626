package dev.tflite.convert.importer.keras;

import java.util.List;

/**
 * One call of a layer: the Keras tensors it reads, in order, and its arguments as {@link CallArguments} (which
 * argument each tensor is, and the call's other settings: a MultiHeadAttention's use_causal_mask, a TFOpLambda's axis).
 */
record LayerCall(List<TensorRef> tensors, CallArguments arguments) {
  static LayerCall of(List<TensorRef> tensors) {
    return new LayerCall(tensors, CallArguments.NONE);
  }
}
