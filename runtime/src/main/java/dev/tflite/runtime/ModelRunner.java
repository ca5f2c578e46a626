package dev.tflite.runtime;

import java.util.List;

/** Runs one model on one sample. Implementations own native resources; close them. */
public interface ModelRunner extends AutoCloseable {
  NamedTensors run(NamedTensors inputs);

  /** The inputs {@link #run} is fed under, in the model's own order. */
  List<TensorSpec> inputSpecs();

  /** The outputs {@link #run} returns, in the model's own order. */
  List<TensorSpec> outputSpecs();

  @Override
  void close();
}
