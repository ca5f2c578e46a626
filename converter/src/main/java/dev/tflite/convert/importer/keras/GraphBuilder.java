package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.TfRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the TensorFlow graph of a {@link ModelTopology}: placeholders for its inputs, each layer call lowered in
 * order, models used as layers built in place with their caller's inputs (again for every call, sharing weights).
 * The first layer that cannot be lowered stops the build and is recorded in {@link #failures()}.
 */
final class GraphBuilder {
  private final Ops tf;
  private final KerasWeights weights;
  private final KerasDialect dialect;
  private final List<String> failures = new ArrayList<>();
  private final Map<List<String>, Map<String, Operand<TFloat32>>> weightConstants = new HashMap<>();
  private final Map<String, Operand<TFloat32>> inputs = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
  /** Keras' implicit masks by the tensor they are attached to ("op:index"), with the layer that made each, for messages. */
  private final Map<String, Operand<TBool>> masks = new HashMap<>();
  private final Map<String, String> maskMakers = new HashMap<>();

  /** The shape each input is built at, by input layer name ({@link OpenLengths}); an input not in it keeps its declared shape. */
  private final Map<String, long[]> inputDims;

  GraphBuilder(Ops tf, KerasWeights weights, KerasDialect dialect, Map<String, long[]> inputDims) {
    this.tf = tf;
    this.inputDims = inputDims;
    this.weights = weights;
    this.dialect = dialect;
  }

  /** Builds the whole model; inputs and outputs are named after their layers. */
  void build(ModelTopology model) {
    List<Operand<TFloat32>> args = new ArrayList<>();
    for (TensorRef ref : model.inputs()) {
      Operand<TFloat32> p = placeholder(model.layer(ref.layer()));
      inputs.put(ref.layer(), p);
      args.add(p);
    }
    List<Operand<TFloat32>> results = call(model, List.of(), tf, args);
    if (results == null) {
      return;
    }
    List<TensorRef> outs = model.outputs();
    for (int i = 0; i < outs.size(); i++) {
      TensorRef ref = outs.get(i);
      String name = outs.size() == 1 || ref.node() == 0 ? ref.layer() : ref.layer() + "_" + ref.node();
      String outputName = ref.tensor() == 0 ? name : name + "_" + ref.tensor();
      Operand<TFloat32> value = results.get(i);
      long[] dims = value.shape().asArray();
      if (outputs.containsValue(value) && dims.length > 0 && java.util.Arrays.stream(dims).skip(1).allMatch(d -> d >= 0)) {
        // one tensor as two outputs (an RNN's last output and its state h): TensorFlow Lite 2.6.2's signature runner
        // fills only one of two outputs sharing a tensor, so the second gets a copy of its own (a reshape to its shape)
        dims[0] = -1;
        value = tf.withName(scopeName(outputName) + "_copy").reshape(value, tf.constant(dims));
      }
      outputs.put(outputName, value);
    }
  }

  Map<String, Operand<TFloat32>> inputs() {
    return inputs;
  }

  Map<String, Operand<TFloat32>> outputs() {
    return outputs;
  }

  List<String> failures() {
    return failures;
  }

  /** One call of {@code model} on {@code args}; its outputs, or null after a failure. {@code path}: enclosing model layers. */
  private List<Operand<TFloat32>> call(ModelTopology model, List<String> path, Ops scope, List<Operand<TFloat32>> args) {
    Map<String, List<List<Operand<TFloat32>>>> produced = new HashMap<>(); // layer -> per call -> outputs
    for (int i = 0; i < model.inputs().size(); i++) {
      produced.put(model.inputs().get(i).layer(), List.of(List.of(args.get(i))));
    }
    for (LayerNode layer : model.layers()) {
      if (layer.isInput()) {
        continue;
      }
      List<String> layerPath = new ArrayList<>(path);
      layerPath.add(layer.name());
      for (LayerCall call : layer.calls()) {
        List<Operand<TFloat32>> results = callLayer(layer, call.arguments(), layerPath, scope.withSubScope(scopeName(layer.name())),
            resolve(model, produced, call.tensors(), layer));
        if (results == null) {
          return null;
        }
        produced.computeIfAbsent(layer.name(), k -> new ArrayList<>()).add(results);
      }
    }
    return resolve(model, produced, model.outputs(), null);
  }

  private List<Operand<TFloat32>> callLayer(LayerNode layer, CallArguments arguments, List<String> path, Ops scope, List<Operand<TFloat32>> args) {
    List<Operand<TBool>> inputMasks = new ArrayList<>();
    String maker = null;
    for (Operand<TFloat32> arg : args) {
      inputMasks.add(masks.get(key(arg)));
      maker = maker != null ? maker : maskMakers.get(key(arg));
    }
    if (layer.nested() != null) {
      if (maker != null) {
        failures.add("layer '" + String.join("/", path) + "' (a nested model) receives the implicit mask made by " + maker
            + "; masks are followed within one model: build the model flat (one functional model) to convert it");
        return null;
      }
      return call(layer.nested(), path, scope, args);
    }
    LayerRegistry.Entry entry = LayerRegistry.get(layer.className());
    try {
      LayerContext c = new LayerContext(scope, layer.name(), layer.config(), args, dialect,
          weights.layer(path, entry.variables().apply(layer.config())), weightConstants.computeIfAbsent(path, k -> new HashMap<>()),
          sublayerWeights(path)).withArguments(arguments).withMasks(inputMasks);
      ImplicitMasks.check(c, layer.className(), maker);
      Operand<TBool> own = ImplicitMasks.own(c, layer.className());
      if (own != null) {
        maker = "layer '" + String.join("/", path) + "' (" + layer.className() + ")";
        c.ownMask = own;
      }
      List<Operand<TFloat32>> results = entry.lowering().lower(c);
      List<Operand<TBool>> outMasks = ImplicitMasks.outputs(c, layer.className(), own, results.size());
      for (int i = 0; i < results.size(); i++) {
        if (outMasks.get(i) != null) {
          masks.put(key(results.get(i)), outMasks.get(i));
          maskMakers.put(key(results.get(i)), maker);
        }
      }
      return results;
    } catch (UnsupportedLayerException | IllegalArgumentException e) {
      failures.add("layer '" + String.join("/", path) + "' (" + layer.className() + "): " + e.getMessage());
    } catch (RuntimeException e) { // a malformed layer config or weight (TensorFlow rejects the op it becomes)
      failures.add("layer '" + String.join("/", path) + "' (" + layer.className() + ") has a config or weights that cannot be lowered ("
          + e.getClass().getSimpleName() + ": " + TfRuntime.firstLine(e.getMessage()) + ")");
    }
    return null;
  }

  private static String key(Operand<?> tensor) {
    return tensor.op().name() + ":" + tensor.asOutput().index();
  }

  /** Weights of layers inside the layer at {@code path}: the weight file's lookup by the longer path. */
  private LayerContext.SublayerWeights sublayerWeights(List<String> path) {
    return new LayerContext.SublayerWeights() {
      @Override
      public Map<String, dev.tflite.convert.ir.TensorData> weights(List<String> subPath, List<String> variables) {
        return weights.layer(extend(path, subPath), variables);
      }

      @Override
      public Map<String, Operand<TFloat32>> constants(List<String> subPath) {
        return weightConstants.computeIfAbsent(extend(path, subPath), k -> new HashMap<>());
      }
    };
  }

  private static List<String> extend(List<String> path, List<String> subPath) {
    List<String> full = new ArrayList<>(path);
    full.addAll(subPath);
    return List.copyOf(full);
  }

  private static List<Operand<TFloat32>> resolve(ModelTopology model, Map<String, List<List<Operand<TFloat32>>>> produced, List<TensorRef> refs,
      LayerNode reader) {
    List<Operand<TFloat32>> values = new ArrayList<>();
    for (TensorRef ref : refs) {
      List<List<Operand<TFloat32>>> calls = produced.get(ref.layer());
      if (calls == null || ref.node() >= calls.size() || ref.tensor() >= calls.get(ref.node()).size()) {
        throw new ConversionException("in Keras model '" + model.name() + "', " + (reader == null ? "an output" : "layer '" + reader.name() + "'")
            + " reads call " + ref.node() + " of layer '" + ref.layer() + "' before it is made; layers must be saved in call order");
      }
      values.add(calls.get(ref.node()).get(ref.tensor()));
    }
    return values;
  }

  /**
   * An input placeholder. Integer inputs (token ids) are int32; they travel through the builder typed as float
   * operands (erased generics) and the layers that read indices check their type.
   */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32> placeholder(LayerNode input) {
    long[] dims = inputDims.getOrDefault(input.name(), KerasDialect.batchShape(input.config()));
    if (dims == null) {
      throw new ConversionException("Keras input '" + input.name() + "' declares no shape");
    }
    String dtype = KerasDialect.dtype(input.config());
    Ops named = tf.withName(scopeName(input.name()));
    if (dtype.startsWith("int") || dtype.startsWith("uint")) {
      return (Operand<TFloat32>) (Operand<?>) named.placeholder(TInt32.class, Placeholder.shape(Shape.of(dims)));
    }
    if (!dtype.equals("float32")) {
      throw new ConversionException("Keras input '" + input.name() + "' has dtype " + dtype + "; float32 and integer inputs are supported");
    }
    return named.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  static String scopeName(String name) {
    return name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
  }
}
