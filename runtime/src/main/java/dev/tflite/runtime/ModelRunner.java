package dev.tflite.runtime;

/** Runs one model on one sample. Implementations own native resources; close them. */
public interface ModelRunner extends AutoCloseable {
  NamedTensors run(NamedTensors inputs);

  @Override
  void close();
}
