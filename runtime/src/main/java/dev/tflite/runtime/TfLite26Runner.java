package dev.tflite.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * Runs a {@code .tflite} file in TensorFlow Lite 2.6.2, the oldest runtime the converter writes for (the official Java
 * interpreter). Opening it is the check that the file loads there: every op must resolve at the version written and
 * every kernel must accept its tensors; the runtime's own message says what does not. Its x86 build has no optimized
 * integer kernels (seconds per sample for a large int8 model), so validation runs most samples in {@link TfLiteRunner}
 * and only a few here. Ports are named as {@link TfLiteRunner} names them: by signature, or without SignatureDef by
 * tensor name, so both runtimes take the same samples.
 */
public final class TfLite26Runner implements ModelRunner {
  public static final String VERSION = "2.6.2";

  private final Interpreter interpreter;
  private final String signatureKey;
  /** Without SignatureDef: tensor name → input and output index, in the file's order. */
  private final Map<String, Integer> inputIndex = new LinkedHashMap<>();
  private final Map<String, Integer> outputIndex = new LinkedHashMap<>();

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
    this.signatureKey = keys.length == 0 ? null : keys[0];
    if (signatureKey == null) {
      for (int i = 0; i < interpreter.getInputTensorCount(); i++) {
        inputIndex.put(portName(interpreter.getInputTensor(i).name(), inputIndex, "input", i), i);
      }
      for (int i = 0; i < interpreter.getOutputTensorCount(); i++) {
        outputIndex.put(portName(interpreter.getOutputTensor(i).name(), outputIndex, "output", i), i);
      }
    }
  }

  /** The same naming as {@link TfLiteEndpoints}: the tensor name, with its position appended when nameless or repeated. */
  private static String portName(String name, Map<String, Integer> taken, String kind, int i) {
    return name == null || name.isEmpty() || taken.containsKey(name) ? kind + "_" + i + (name == null || name.isEmpty() ? "" : "_" + name) : name;
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    resizeTo(inputs);
    Map<String, ByteBuffer> in = new HashMap<>();
    inputs.asMap().forEach((name, tensor) -> {
      Tensor t = inputTensor(name);
      in.put(name, TensorCodec.encode(name, type(t), t.quantizationParams().getScale(), t.quantizationParams().getZeroPoint(), tensor.values()));
    });
    Map<String, ByteBuffer> out = new LinkedHashMap<>();
    for (String name : outputNames()) {
      out.put(name, ByteBuffer.allocateDirect(outputTensor(name).numBytes()).order(ByteOrder.nativeOrder()));
    }
    if (signatureKey != null) {
      interpreter.runSignature(new HashMap<String, Object>(in), new HashMap<String, Object>(out), signatureKey);
    } else {
      Object[] feeds = new Object[inputIndex.size()];
      in.forEach((name, buffer) -> feeds[inputIndex.get(name)] = buffer);
      Map<Integer, Object> fetches = new HashMap<>();
      out.forEach((name, buffer) -> fetches.put(outputIndex.get(name), buffer));
      interpreter.runForMultipleInputsOutputs(feeds, fetches);
    }
    NamedTensors result = new NamedTensors();
    out.forEach((name, b) -> {
      Tensor t = outputTensor(name); // re-read: a resized input changes output shapes
      b.rewind();
      result.put(name, new NamedTensors.FloatTensor(Arrays.stream(t.shape()).asLongStream().toArray(),
          TensorCodec.decode(name, type(t), t.quantizationParams().getScale(), t.quantizationParams().getZeroPoint(), b)));
    });
    return result;
  }

  /** The first SignatureDef's key, or null when the file has none. */
  public String signatureKey() {
    return signatureKey;
  }

  @Override
  public List<TensorSpec> inputSpecs() {
    List<TensorSpec> specs = new ArrayList<>();
    for (String name : inputNames()) {
      specs.add(spec(name, inputTensor(name)));
    }
    return specs;
  }

  @Override
  public List<TensorSpec> outputSpecs() {
    List<TensorSpec> specs = new ArrayList<>();
    for (String name : outputNames()) {
      specs.add(spec(name, outputTensor(name)));
    }
    return specs;
  }

  private static TensorSpec spec(String name, Tensor t) {
    int[] declared = t.shapeSignature() == null || t.shapeSignature().length == 0 ? t.shape() : t.shapeSignature();
    return new TensorSpec(name, type(t).lowerName(), Arrays.stream(declared).asLongStream().toArray());
  }

  private List<String> inputNames() {
    return signatureKey != null ? Arrays.asList(interpreter.getSignatureInputs(signatureKey)) : List.copyOf(inputIndex.keySet());
  }

  private List<String> outputNames() {
    return signatureKey != null ? Arrays.asList(interpreter.getSignatureOutputs(signatureKey)) : List.copyOf(outputIndex.keySet());
  }

  private Tensor inputTensor(String name) {
    if (signatureKey != null) {
      return interpreter.getInputTensorFromSignature(name, signatureKey);
    }
    Integer index = inputIndex.get(name);
    if (index == null) {
      throw new IllegalArgumentException("no input '" + name + "' (no SignatureDef; inputs are " + inputIndex.keySet() + ")");
    }
    return interpreter.getInputTensor(index);
  }

  private Tensor outputTensor(String name) {
    return signatureKey != null ? interpreter.getOutputTensorFromSignature(name, signatureKey) : interpreter.getOutputTensor(outputIndex.get(name));
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
      Tensor t = inputTensor(e.getKey());
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
   * The runtime's own measure of the last {@link #run}'s inference, without the input and output copying (which differs
   * between runs by signature and by tensor index); -1 when the runtime recorded none.
   */
  public long lastInvokeNanos() {
    Long nanos = interpreter.getLastNativeInferenceDurationNanoseconds();
    return nanos == null ? -1 : nanos;
  }

  @Override
  public void close() {
    interpreter.close();
  }
}
