package dev.tflite.runtime;

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
  /**
   * A signature input or output of the model; {@code scale} is its quantization step (0 for float tensors);
   * {@code dynamicBatch} whether its first dimension is -1 in the shape signature.
   */
  public record Port(String name, DataType type, int[] shape, float scale, boolean dynamicBatch) {}

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
    return Arrays.stream(interpreter.getSignatureInputs(signatureKey)).sorted()
        .map(n -> port(n, interpreter.getInputTensorFromSignature(n, signatureKey))).toArray(Port[]::new);
  }

  public Port[] outputs() {
    return Arrays.stream(interpreter.getSignatureOutputs(signatureKey)).sorted()
        .map(n -> port(n, interpreter.getOutputTensorFromSignature(n, signatureKey))).toArray(Port[]::new);
  }

  private static Port port(String name, Tensor t) {
    int[] signature = t.shapeSignature();
    return new Port(name, t.dataType(), t.shape(), t.quantizationParams().getScale(), signature.length > 0 && signature[0] == -1);
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    resizeTo(inputs);
    Map<String, Object> in = new HashMap<>();
    inputs.asMap().forEach((name, tensor) -> in.put(name, encode(interpreter.getInputTensorFromSignature(name, signatureKey), tensor.values())));
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
      result.put(name, new NamedTensors.FloatTensor(Arrays.stream(t.shape()).asLongStream().toArray(), decode(t, b)));
    });
    return result;
  }

  /**
   * Resizes inputs whose shape differs from the sample's (another batch size) and re-plans the tensors, as an
   * application running a dynamic-batch model does.
   */
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

  /**
   * Median native inference time over {@code iterations} runs of the same inputs, after a warm-up run: the
   * interpreter's own clock, so JNI and buffer handling are not counted.
   */
  public long medianInferenceNanos(NamedTensors inputs, int iterations) {
    run(inputs);
    long[] times = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      run(inputs);
      times[i] = interpreter.getLastNativeInferenceDurationNanoseconds();
    }
    Arrays.sort(times);
    return times[iterations / 2];
  }

  /**
   * Float values in the tensor's own type: integer inputs (int8/uint8 models) are quantized with the tensor's
   * scale and zero point, as an application feeding such a model would.
   */
  private static ByteBuffer encode(Tensor tensor, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(tensor.numBytes()).order(ByteOrder.nativeOrder());
    switch (tensor.dataType()) {
      case FLOAT32 -> buffer.asFloatBuffer().put(values);
      case INT32 -> {
        for (float v : values) {
          buffer.putInt(Math.round(v));
        }
      }
      case INT8, UINT8 -> {
        Tensor.QuantizationParams q = tensor.quantizationParams();
        int min = tensor.dataType() == DataType.INT8 ? -128 : 0;
        for (float v : values) {
          long quantized = Math.round(v / q.getScale()) + q.getZeroPoint();
          buffer.put((byte) Math.max(min, Math.min(min + 255, quantized)));
        }
      }
      default -> throw new IllegalStateException("input '" + tensor.name() + "' is " + tensor.dataType() + "; validation feeds float32, int8 or uint8");
    }
    return buffer;
  }

  /** Output values as float: integer outputs are dequantized with the tensor's scale and zero point. */
  private static float[] decode(Tensor tensor, ByteBuffer buffer) {
    float[] values = new float[tensor.numElements()];
    switch (tensor.dataType()) {
      case FLOAT32 -> buffer.asFloatBuffer().get(values);
      case INT8, UINT8 -> {
        Tensor.QuantizationParams q = tensor.quantizationParams();
        for (int i = 0; i < values.length; i++) {
          int raw = tensor.dataType() == DataType.INT8 ? buffer.get(i) : buffer.get(i) & 0xff;
          values[i] = (raw - q.getZeroPoint()) * q.getScale();
        }
      }
      default -> throw new IllegalStateException("output '" + tensor.name() + "' is " + tensor.dataType() + "; only float32, int8 and uint8 outputs are compared");
    }
    return values;
  }

  @Override
  public void close() {
    interpreter.close();
  }
}
