package dev.tflite.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * Runs a {@code .tflite} file in TensorFlow Lite 2.6.2, the oldest runtime the converter writes for (the official Java
 * interpreter). Opening it is the check that the file loads there: every op must resolve at the version written and
 * every kernel must accept its tensors; the runtime's own message says what does not. Its x86 build has no optimized
 * integer kernels (seconds per sample for a large int8 model), so validation runs most samples in {@link TfLiteRunner}
 * and only a few here.
 */
public final class TfLite26Runner implements ModelRunner {
  public static final String VERSION = "2.6.2";

  private final Interpreter interpreter;
  private final String signatureKey;

  public TfLite26Runner(Path model, int threads) {
    TfLite26Native.ensureLoaded();
    Interpreter opened;
    try {
      opened = new Interpreter(model.toFile(), new Interpreter.Options().setNumThreads(threads));
      opened.allocateTensors();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(model.getFileName() + " does not load in TensorFlow Lite " + VERSION + ": " + e.getMessage(), e);
    }
    this.interpreter = opened;
    String[] keys = interpreter.getSignatureDefNames();
    if (keys.length == 0) {
      interpreter.close();
      throw new IllegalArgumentException(model + " has no SignatureDef; validation matches outputs by signature name");
    }
    this.signatureKey = keys[0];
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    resizeTo(inputs);
    Map<String, Object> in = new HashMap<>();
    inputs.asMap().forEach((name, tensor) -> {
      Tensor t = interpreter.getInputTensorFromSignature(name, signatureKey);
      in.put(name, TensorCodec.encode(name, type(t), t.quantizationParams().getScale(), t.quantizationParams().getZeroPoint(), tensor.values()));
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
      ByteBuffer b = (ByteBuffer) buffer;
      b.rewind();
      result.put(name, new NamedTensors.FloatTensor(Arrays.stream(t.shape()).asLongStream().toArray(),
          TensorCodec.decode(name, type(t), t.quantizationParams().getScale(), t.quantizationParams().getZeroPoint(), b)));
    });
    return result;
  }

  private static TensorType type(Tensor t) {
    try {
      return TensorType.valueOf(t.dataType().name());
    } catch (IllegalArgumentException e) {
      return TensorType.OTHER;
    }
  }

  /** Resizes inputs whose shape differs from the sample's (another batch size) and re-plans the tensors. */
  private void resizeTo(NamedTensors inputs) {
    boolean resized = false;
    for (Map.Entry<String, NamedTensors.FloatTensor> e : inputs.asMap().entrySet()) {
      Tensor t = interpreter.getInputTensorFromSignature(e.getKey(), signatureKey);
      int[] wanted = Arrays.stream(e.getValue().shape()).mapToInt(Math::toIntExact).toArray();
      if (!Arrays.equals(t.shape(), wanted)) {
        for (int i = 0; i < interpreter.getInputTensorCount(); i++) {
          if (interpreter.getInputTensor(i).index() == t.index()) {
            interpreter.resizeInput(i, wanted);
            resized = true;
          }
        }
      }
    }
    if (resized) {
      interpreter.allocateTensors();
    }
  }

  @Override
  public void close() {
    interpreter.close();
  }
}
