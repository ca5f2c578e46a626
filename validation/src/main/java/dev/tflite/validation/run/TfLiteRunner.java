package dev.tflite.validation.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/** Runs a {@code .tflite} file in the real TensorFlow Lite interpreter (single thread), by signature names. */
public final class TfLiteRunner implements ModelRunner {
  /** A signature input or output of the model. */
  public record Port(String name, DataType type, int[] shape) {}

  private final Interpreter interpreter;
  private final String signatureKey;

  public TfLiteRunner(Path model) {
    TfLiteNative.ensureLoaded();
    Interpreter.Options options = new Interpreter.Options().setNumThreads(1);
    this.interpreter = new Interpreter(model.toFile(), options);
    String[] keys = interpreter.getSignatureDefNames();
    if (keys.length == 0) {
      interpreter.close();
      throw new IllegalArgumentException(model + " has no SignatureDef; validation matches outputs by signature name");
    }
    this.signatureKey = keys[0];
  }

  public String signatureKey() {
    return signatureKey;
  }

  public Port[] inputs() {
    return Arrays.stream(interpreter.getSignatureInputs(signatureKey)).sorted().map(n -> {
      Tensor t = interpreter.getInputTensorFromSignature(n, signatureKey);
      return new Port(n, t.dataType(), t.shape());
    }).toArray(Port[]::new);
  }

  public Port[] outputs() {
    return Arrays.stream(interpreter.getSignatureOutputs(signatureKey)).sorted().map(n -> {
      Tensor t = interpreter.getOutputTensorFromSignature(n, signatureKey);
      return new Port(n, t.dataType(), t.shape());
    }).toArray(Port[]::new);
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    Map<String, Object> in = new HashMap<>();
    inputs.asMap().forEach((name, tensor) -> {
      ByteBuffer buffer = ByteBuffer.allocateDirect(tensor.values().length * 4).order(ByteOrder.nativeOrder());
      buffer.asFloatBuffer().put(tensor.values());
      in.put(name, buffer);
    });
    Map<String, Object> out = new HashMap<>();
    Map<String, Tensor> outTensors = new HashMap<>();
    for (String name : interpreter.getSignatureOutputs(signatureKey)) {
      Tensor t = interpreter.getOutputTensorFromSignature(name, signatureKey);
      outTensors.put(name, t);
      out.put(name, ByteBuffer.allocateDirect(t.numBytes()).order(ByteOrder.nativeOrder()));
    }
    interpreter.runSignature(in, out, signatureKey);
    NamedTensors result = new NamedTensors();
    out.forEach((name, buffer) -> {
      Tensor t = outTensors.get(name);
      if (t.dataType() != DataType.FLOAT32) {
        throw new IllegalStateException("output '" + name + "' is " + t.dataType() + "; only float32 outputs are compared");
      }
      ByteBuffer b = (ByteBuffer) buffer;
      b.rewind();
      float[] values = new float[t.numElements()];
      b.asFloatBuffer().get(values);
      result.put(name, new NamedTensors.FloatTensor(Arrays.stream(t.shape()).asLongStream().toArray(), values));
    });
    return result;
  }

  @Override
  public void close() {
    interpreter.close();
  }
}
