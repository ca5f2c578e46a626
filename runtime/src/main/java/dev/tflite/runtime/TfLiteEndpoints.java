package dev.tflite.runtime;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.SignatureRunner;
import org.bytedeco.tensorflowlite.StringIntMap;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * How {@link TfLiteRunner} reaches a model's inputs and outputs: through its SignatureDef when it has one (names are
 * the signature's, as applications use them), else through the main subgraph's input and output tensors under their
 * tensor names (files from the older converters carry no SignatureDef).
 */
abstract class TfLiteEndpoints {
  abstract List<String> inputNames();

  abstract List<String> outputNames();

  /** The input tensor under {@code name}, or null when there is none. */
  abstract TfLiteTensor input(String name);

  abstract TfLiteTensor output(String name);

  abstract int resize(String name, int[] dims);

  abstract int allocate();

  abstract int invoke();

  static TfLiteEndpoints of(Interpreter interpreter, String signatureKey) {
    return signatureKey == null ? new Subgraph(interpreter) : new Signature(interpreter, signatureKey);
  }

  private static final class Signature extends TfLiteEndpoints {
    private final SignatureRunner runner;
    private final List<String> inputs;
    private final List<String> outputs;

    Signature(Interpreter interpreter, String key) {
      this.runner = interpreter.GetSignatureRunner(key);
      this.inputs = names(interpreter.signature_inputs(key));
      this.outputs = names(interpreter.signature_outputs(key));
    }

    /** Keys of a signature's name-to-tensor map, in name order (the map is sorted). */
    private static List<String> names(StringIntMap map) {
      List<String> names = new ArrayList<>();
      for (StringIntMap.Iterator it = map.begin(); !it.equals(map.end()); it.increment()) {
        names.add(it.first());
      }
      return List.copyOf(names);
    }

    @Override
    List<String> inputNames() {
      return inputs;
    }

    @Override
    List<String> outputNames() {
      return outputs;
    }

    @Override
    TfLiteTensor input(String name) {
      return inputs.contains(name) ? runner.input_tensor(name) : null;
    }

    @Override
    TfLiteTensor output(String name) {
      return outputs.contains(name) ? runner.output_tensor(name) : null;
    }

    @Override
    int resize(String name, int[] dims) {
      return runner.ResizeInputTensor(name, dims);
    }

    @Override
    int allocate() {
      return runner.AllocateTensors();
    }

    @Override
    int invoke() {
      return runner.Invoke();
    }
  }

  /** The main subgraph's inputs and outputs in the file's order, named by tensor name. */
  private static final class Subgraph extends TfLiteEndpoints {
    private final Interpreter interpreter;
    private final Map<String, Integer> inputs;
    private final Map<String, Integer> outputs;

    Subgraph(Interpreter interpreter) {
      this.interpreter = interpreter;
      this.inputs = named(interpreter, interpreter.inputs(), "input");
      this.outputs = named(interpreter, interpreter.outputs(), "output");
    }

    /** Tensor name → tensor index; a nameless or repeated name gets its position appended, so every port is reachable. */
    private static Map<String, Integer> named(Interpreter interpreter, IntPointer indices, String kind) {
      Map<String, Integer> named = new LinkedHashMap<>();
      for (int i = 0; i < indices.limit(); i++) {
        int index = indices.get(i);
        String name = TfLiteTensorName(interpreter.tensor(index)).getString();
        named.put(name.isEmpty() || named.containsKey(name) ? kind + "_" + i + (name.isEmpty() ? "" : "_" + name) : name, index);
      }
      return named;
    }

    @Override
    List<String> inputNames() {
      return List.copyOf(inputs.keySet());
    }

    @Override
    List<String> outputNames() {
      return List.copyOf(outputs.keySet());
    }

    @Override
    TfLiteTensor input(String name) {
      Integer index = inputs.get(name);
      return index == null ? null : interpreter.tensor(index);
    }

    @Override
    TfLiteTensor output(String name) {
      Integer index = outputs.get(name);
      return index == null ? null : interpreter.tensor(index);
    }

    @Override
    int resize(String name, int[] dims) {
      return interpreter.ResizeInputTensor(inputs.get(name), dims);
    }

    @Override
    int allocate() {
      return interpreter.AllocateTensors();
    }

    @Override
    int invoke() {
      return interpreter.Invoke();
    }
  }
}
