package dev.tflite.runtime;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.StringVector;
import org.bytedeco.tensorflowlite.TfLiteQuantizationParams;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * Runs a {@code .tflite} file in the real TensorFlow Lite interpreter, by signature names (by tensor names for a file
 * without SignatureDef, as the older converters wrote them): TensorFlow Lite 2.18 (the
 * build JavaCPP ships), built through the C++ API so that the default XNNPACK delegate applies as it does in
 * applications (the C API leaves it out: four times slower on float models); tensors are read and written through the
 * C API. One thread, so that results do not depend on the machine's core count and parallel model builds do not
 * oversubscribe it.
 *
 * <p>This runtime is newer than the one the converter writes for; {@link TfLite26Runner} checks a converted file
 * against that one, and gives the clearer message when a file is broken.
 */
public final class TfLiteRunner implements ModelRunner {
  static {
    TfLiteNative.ensureLoaded();
  }

  /**
   * A signature input or output of the model (a subgraph input or output without SignatureDef); {@code scale} is its
   * quantization step (0 for float tensors); {@code dynamicBatch} whether its first dimension is -1 in the shape
   * signature.
   */
  public record Port(String name, TensorType type, int[] shape, float scale, boolean dynamicBatch) {
    /** As the model declares it: the shape with -1 for a dynamic batch. */
    public TensorSpec spec() {
      long[] declared = java.util.Arrays.stream(shape).asLongStream().toArray();
      if (dynamicBatch && declared.length > 0) {
        declared[0] = -1;
      }
      return new TensorSpec(name, type.lowerName(), declared);
    }
  }

  private final Path file;
  private final FlatBufferModel model;
  private final BuiltinOpResolver resolver;
  private final Interpreter interpreter;
  private final TfLiteEndpoints endpoints;
  private final String signatureKey;
  private long lastInvokeNanos;

  public TfLiteRunner(Path file) {
    this.file = file;
    // verified before use: a damaged file is refused here instead of being read out of bounds by native code
    this.model = FlatBufferModel.VerifyAndBuildFromFile(file.toString());
    if (isNull(model)) {
      throw new IllegalArgumentException(file + " is not a valid TensorFlow Lite flatbuffer (TensorFlow Lite " + version()
          + " refuses it; its log above says why)");
    }
    this.resolver = new BuiltinOpResolver();
    this.interpreter = new Interpreter((Pointer) null);
    try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
      builder.SetNumThreads(1);
      if (builder.apply(interpreter) != 0 || interpreter.isNull()) {
        release();
        throw new IllegalArgumentException("TensorFlow Lite " + version() + " cannot build an interpreter for " + file + " (its log above says why)");
      }
    }
    StringVector keys = interpreter.signature_keys();
    this.signatureKey = keys.size() == 0 ? null : keys.get(0).getString();
    this.endpoints = TfLiteEndpoints.of(interpreter, signatureKey);
    check(endpoints.allocate(), "allocate tensors");
  }

  /** The runtime's version, e.g. {@code 2.18.0}. */
  public static String version() {
    return TfLiteVersion().getString();
  }

  /** The first SignatureDef's key, or null when the file has none (ports are then named by tensor name). */
  public String signatureKey() {
    return signatureKey;
  }

  public boolean hasSignature() {
    return signatureKey != null;
  }

  public Port[] inputs() {
    return endpoints.inputNames().stream().map(name -> port(name, endpoints.input(name))).toArray(Port[]::new);
  }

  public Port[] outputs() {
    return endpoints.outputNames().stream().map(name -> port(name, endpoints.output(name))).toArray(Port[]::new);
  }

  @Override
  public List<TensorSpec> inputSpecs() {
    return Arrays.stream(inputs()).map(Port::spec).toList();
  }

  @Override
  public List<TensorSpec> outputSpecs() {
    return Arrays.stream(outputs()).map(Port::spec).toList();
  }

  private static Port port(String name, TfLiteTensor t) {
    var signatureDims = t.dims_signature();
    boolean dynamicBatch = signatureDims != null && !signatureDims.isNull() && signatureDims.size() > 0 && signatureDims.data(0) == -1;
    return new Port(name, TensorType.of(TfLiteTensorType(t)), shape(t), TfLiteTensorQuantizationParams(t).scale(), dynamicBatch);
  }

  private static int[] shape(TfLiteTensor t) {
    int[] shape = new int[TfLiteTensorNumDims(t)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = TfLiteTensorDim(t, i);
    }
    return shape;
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    resizeTo(inputs);
    inputs.asMap().forEach((name, tensor) -> {
      TfLiteTensor t = endpoints.input(name);
      if (isNull(t)) {
        throw new IllegalArgumentException(file.getFileName() + " has no input '" + name + "'"
            + (signatureKey == null ? " (no SignatureDef; inputs are " + endpoints.inputNames() + ")" : " in signature '" + signatureKey + "'"));
      }
      TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(t);
      ByteBuffer encoded = TensorCodec.encode(name, TensorType.of(TfLiteTensorType(t)), q.scale(), q.zero_point(), tensor.values());
      if (encoded.capacity() != TfLiteTensorByteSize(t)) {
        throw new IllegalArgumentException("input '" + name + "' of " + file.getFileName() + " holds " + TfLiteTensorByteSize(t) + " bytes, the sample "
            + encoded.capacity());
      }
      check(TfLiteTensorCopyFromBuffer(t, new BytePointer(encoded), encoded.capacity()), "set input '" + name + "'");
    });
    long start = System.nanoTime();
    check(endpoints.invoke(), "run");
    lastInvokeNanos = System.nanoTime() - start;
    NamedTensors result = new NamedTensors();
    for (Port out : outputs()) {
      TfLiteTensor t = endpoints.output(out.name());
      ByteBuffer b = ByteBuffer.allocateDirect((int) TfLiteTensorByteSize(t)).order(ByteOrder.nativeOrder());
      check(TfLiteTensorCopyToBuffer(t, new BytePointer(b), b.capacity()), "read output '" + out.name() + "'");
      TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(t);
      result.put(out.name(), new NamedTensors.FloatTensor(Arrays.stream(out.shape()).asLongStream().toArray(),
          TensorCodec.decode(out.name(), out.type(), q.scale(), q.zero_point(), b)));
    }
    return result;
  }

  /**
   * Resizes inputs whose shape differs from the sample's (another batch size) and re-plans the tensors, as an
   * application running a dynamic-batch model does.
   */
  private void resizeTo(NamedTensors inputs) {
    boolean resized = false;
    for (var e : inputs.asMap().entrySet()) {
      TfLiteTensor t = endpoints.input(e.getKey());
      int[] wanted = Arrays.stream(e.getValue().shape()).mapToInt(Math::toIntExact).toArray();
      if (!isNull(t) && !Arrays.equals(shape(t), wanted)) {
        check(endpoints.resize(e.getKey(), wanted), "resize input '" + e.getKey() + "'");
        resized = true;
      }
    }
    if (resized) {
      check(endpoints.allocate(), "allocate tensors");
    }
  }

  /** Median time of the interpreter's invoke over {@code iterations} runs of the same inputs, after a warm-up run. */
  /** How long the interpreter's invoke took in the last {@link #run}: no input or output copying. */
  public long lastInvokeNanos() {
    return lastInvokeNanos;
  }

  public long medianInferenceNanos(NamedTensors inputs, int iterations) {
    run(inputs);
    long[] times = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      run(inputs);
      times[i] = lastInvokeNanos;
    }
    Arrays.sort(times);
    return times[iterations / 2];
  }

  private void check(int status, String what) {
    if (status != 0) {
      throw new IllegalStateException("TensorFlow Lite " + version() + " could not " + what + " for " + file.getFileName() + " (status " + status
          + "; its log above says why)");
    }
  }

  private static boolean isNull(org.bytedeco.javacpp.Pointer p) {
    return p == null || p.isNull();
  }

  private void release() {
    interpreter.close();
    resolver.close();
    model.close();
  }

  @Override
  public void close() {
    release();
  }
}
