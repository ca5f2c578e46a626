package dev.tflite.validation.run;

/** Runs one model on one sample. Implementations own native resources; close them. */
public interface ModelRunner extends AutoCloseable {
  NamedTensors run(NamedTensors inputs);

  @Override
  void close();
}
