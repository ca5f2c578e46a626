package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;

/** One rewrite of the IR. Passes know nothing about quantization; they run before it. */
public interface Pass {
  void run(Graph graph);
}
