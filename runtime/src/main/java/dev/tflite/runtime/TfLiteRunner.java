package dev.tflite.runtime;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.TfLiteInterpreter;
import org.bytedeco.tensorflowlite.TfLiteInterpreterOptions;
import org.bytedeco.tensorflowlite.TfLiteModel;
import org.bytedeco.tensorflowlite.TfLiteQuantizationParams;
import org.bytedeco.tensorflowlite.TfLiteSignatureRunner;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * Runs a {@code .tflite} file in the real TensorFlow Lite interpreter, by signature names: TensorFlow Lite 2.18 through
 * its C API (the build JavaCPP ships, with XNNPACK and the optimized integer kernels), on one thread so that results do
 * not depend on the machine's core count and parallel model builds do not oversubscribe it.
 *
 * <p>This runtime is newer than the one the converter writes for; {@link MinimumRuntimeCheck} checks a converted file
 * against that one, and gives the clearer message when a file is broken.
 */
public final class TfLiteRunner implements ModelRunner {
  /**
   * A signature input or output of the model; {@code scale} is its quantization step (0 for float tensors);
   * {@code dynamicBatch} whether its first dimension is -1 in the shape signature.
   */
  public record Port(String name, TensorType type, int[] shape, float scale, boolean dynamicBatch) {}

  private final Path file;
  private final TfLiteModel model;
  private final TfLiteInterpreterOptions options;
  private final TfLiteInterpreter interpreter;
  private final TfLiteSignatureRunner signature;
  private final String signatureKey;
  private long lastInvokeNanos;

  public TfLiteRunner(Path file) {
    this.file = file;
    this.model = TfLiteModelCreateFromFile(file.toString());
    if (isNull(model)) {
      throw new IllegalArgumentException("TensorFlow Lite " + version() + " cannot read " + file);
    }
    this.options = TfLiteInterpreterOptionsCreate();
    TfLiteInterpreterOptionsSetNumThreads(options, 1);
    this.interpreter = TfLiteInterpreterCreate(model, options);
    if (isNull(interpreter)) {
      release();
      throw new IllegalArgumentException("TensorFlow Lite " + version() + " cannot build an interpreter for " + file + " (its log above says why)");
    }
    if (TfLiteInterpreterGetSignatureCount(interpreter) == 0) {
      release();
      throw new IllegalArgumentException(file + " has no SignatureDef; validation matches outputs by signature name");
    }
    this.signatureKey = TfLiteInterpreterGetSignatureKey(interpreter, 0).getString();
    this.signature = TfLiteInterpreterGetSignatureRunner(interpreter, signatureKey);
    check(TfLiteSignatureRunnerAllocateTensors(signature), "allocate tensors");
  }

  /** The runtime's version, e.g. {@code 2.18.0}. */
  public static String version() {
    return TfLiteVersion().getString();
  }

  public String signatureKey() {
    return signatureKey;
  }

  public Port[] inputs() {
    int n = (int) TfLiteSignatureRunnerGetInputCount(signature);
    Port[] ports = new Port[n];
    for (int i = 0; i < n; i++) {
      String name = TfLiteSignatureRunnerGetInputName(signature, i).getString();
      ports[i] = port(name, TfLiteSignatureRunnerGetInputTensor(signature, name));
    }
    Arrays.sort(ports, Comparator.comparing(Port::name));
    return ports;
  }

  public Port[] outputs() {
    int n = (int) TfLiteSignatureRunnerGetOutputCount(signature);
    Port[] ports = new Port[n];
    for (int i = 0; i < n; i++) {
      String name = TfLiteSignatureRunnerGetOutputName(signature, i).getString();
      ports[i] = port(name, TfLiteSignatureRunnerGetOutputTensor(signature, name));
    }
    Arrays.sort(ports, Comparator.comparing(Port::name));
    return ports;
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
      TfLiteTensor t = TfLiteSignatureRunnerGetInputTensor(signature, name);
      if (isNull(t)) {
        throw new IllegalArgumentException(file.getFileName() + " has no input '" + name + "' in signature '" + signatureKey + "'");
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
    check(TfLiteSignatureRunnerInvoke(signature), "run");
    lastInvokeNanos = System.nanoTime() - start;
    NamedTensors result = new NamedTensors();
    for (Port out : outputs()) {
      TfLiteTensor t = TfLiteSignatureRunnerGetOutputTensor(signature, out.name());
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
      TfLiteTensor t = TfLiteSignatureRunnerGetInputTensor(signature, e.getKey());
      int[] wanted = Arrays.stream(e.getValue().shape()).mapToInt(Math::toIntExact).toArray();
      if (!isNull(t) && !Arrays.equals(shape(t), wanted)) {
        check(TfLiteSignatureRunnerResizeInputTensor(signature, e.getKey(), wanted, wanted.length), "resize input '" + e.getKey() + "'");
        resized = true;
      }
    }
    if (resized) {
      check(TfLiteSignatureRunnerAllocateTensors(signature), "allocate tensors");
    }
  }

  /** Median time of the interpreter's invoke over {@code iterations} runs of the same inputs, after a warm-up run. */
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
    if (!isNull(interpreter)) {
      TfLiteInterpreterDelete(interpreter);
    }
    if (!isNull(options)) {
      TfLiteInterpreterOptionsDelete(options);
    }
    if (!isNull(model)) {
      TfLiteModelDelete(model);
    }
  }

  @Override
  public void close() {
    TfLiteSignatureRunnerDelete(signature);
    release();
  }
}
