package dev.tflite.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link NativeLogsTest} in a JVM of its own (native libraries load once per JVM): opens and runs one model in
 * each runtime, as validation does, and prints a marker line after each step so the test can see it ran.
 */
public final class NativeLogsProbe {
  static final String MARKER = "probe: ";

  private NativeLogsProbe() {}

  public static void main(String[] args) throws Exception {
    Path fixtures = Path.of(args[0]);
    Path savedModel = fixtures.resolve("keras-savedmodel-mlp/saved_model");
    Path tflite = fixtures.resolve("keras-savedmodel-mlp/official_float32.tflite");
    try (TensorFlowRunner tf = TensorFlowRunner.open(savedModel, "serving_default", List.of("serve"))) {
      System.out.println(MARKER + "TensorFlow ran");
    }
    try (TfLiteRunner lite = new TfLiteRunner(tflite)) {
      lite.run(zeros(lite.inputs()));
      System.out.println(MARKER + "TensorFlow Lite " + TfLiteRunner.version() + " ran");
    }
    try (TfLite26Runner oldest = new TfLite26Runner(tflite, 1); TfLiteRunner lite = new TfLiteRunner(tflite)) {
      oldest.run(zeros(lite.inputs()));
      System.out.println(MARKER + "TensorFlow Lite " + TfLite26Runner.VERSION + " ran");
    }
    // errors must still reach the console in quiet mode: TfLiteRunner's message points at them
    Path truncated = Files.createTempFile("truncated", ".tflite");
    Files.write(truncated, Arrays.copyOf(Files.readAllBytes(tflite), 3000));
    try (TfLiteRunner broken = new TfLiteRunner(truncated)) {
      System.out.println(MARKER + "a truncated file opened");
    } catch (IllegalArgumentException e) {
      System.out.println(MARKER + "truncated file refused");
    } finally {
      Files.delete(truncated);
    }
  }

  private static NamedTensors zeros(TfLiteRunner.Port[] ports) {
    NamedTensors inputs = new NamedTensors();
    for (TfLiteRunner.Port p : ports) {
      long[] shape = Arrays.stream(p.shape()).asLongStream().toArray();
      inputs.put(p.name(), new NamedTensors.FloatTensor(shape, new float[Arrays.stream(p.shape()).reduce(1, Math::multiplyExact)]));
    }
    return inputs;
  }
}
