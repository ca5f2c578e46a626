package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.Graph;

/** Rewrites a float IR graph into one quantization mode. Runs after all passes; ops never know about it. */
public interface Quantizer {
  void quantize(Graph graph, QuantizationContext context);
}
