package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;

/**
 * Reads a Keras model (Keras 2 {@code .h5}, Keras 3 {@code .keras} or legacy {@code .h5}) into a TensorFlow graph
 * built with the ops Keras runs for each layer, weights as constants: Sequential and Functional models, several
 * inputs and outputs, shared layers, models used as layers at any depth. The signature's names are the input and
 * output layer names.
 */
public final class KerasImporter {
  private KerasImporter() {}

  /** The Keras layer classes the importer lowers (models used as layers aside). */
  public static Set<String> supportedLayerClasses() {
    return LayerRegistry.supported();
  }

  public static TfGraph load(Path file) {
    return load(file, Map.of());
  }

  /**
   * {@code inputShapes}: the configured shapes by input name; their non-batch dimensions fix the lengths the file
   * declares open ({@link OpenLengths}).
   */
  public static TfGraph load(Path file, Map<String, long[]> inputShapes) {
    KerasModelFile model = KerasModelFile.read(file);
    try {
      return build(file, model, inputShapes);
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) {
      // a config that parses as JSON but not as a Keras model: wrong types, missing fields, dangling references
      throw new ConversionException(file + " holds a Keras model config this converter cannot follow (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); re-save the model with model.save(\"x.keras\") from the Keras that trained it", e);
    }
  }

  private static TfGraph build(Path file, KerasModelFile model, Map<String, long[]> inputShapes) {
    ModelTopology topology;
    try {
      topology = new TopologyReader(model.dialect).read(model.config);
    } catch (IllegalArgumentException e) {
      throw new ConversionException(file + ": " + e.getMessage(), e);
    }
    checkSupport(file, topology);
    Map<String, long[]> declared = OpenLengths.declared(topology, inputShapes);
    List<String> open = OpenLengths.openInputs(declared);
    if (open.isEmpty()) {
      return build(file, model, topology, declared);
    }
    TfGraph nominal = build(file, model, topology, OpenLengths.at(declared, OpenLengths.NOMINAL));
    TfGraph probe;
    try {
      probe = build(file, model, topology, OpenLengths.at(declared, OpenLengths.PROBE));
    } catch (ConversionException e) {
      // the model builds at one length only (a weight sized by the length, a fixed-size reshape): the length must be chosen
      String first = open.get(0);
      throw new ConversionException(file + ": the model's inputs " + open + " have open dimensions (a sequence length, an image size), and the model does not build at a"
          + " second size (" + e.getMessage().replace(file + ": ", "") + "); set them with <inputShapes> (CLI --input-shape), e.g. <inputShapes><"
          + first + ">" + example(declared.get(first)) + "</" + first + "></inputShapes>", e);
    }
    return nominal.withLengthProbe(probe);
  }

  /** A configured shape for the message: batch 1, open lengths 50. */
  private static String example(long[] dims) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      s.append(i == 0 ? "" : ",").append(i == 0 ? 1 : dims[i] < 0 ? 50 : dims[i]);
    }
    return s.toString();
  }

  private static TfGraph build(Path file, KerasModelFile model, ModelTopology topology, Map<String, long[]> inputDims) {
    try (Graph graph = new Graph()) {
      GraphBuilder builder = new GraphBuilder(Ops.create(graph), model.weights, model.dialect, inputDims);
      builder.build(topology);
      if (!builder.failures().isEmpty()) {
        throw new ConversionException(file + ": cannot convert " + builder.failures().size() + " Keras layer(s):\n  "
            + String.join("\n  ", builder.failures()));
      }
      GraphDef def = graph.toGraphDef();
      List<SignatureTensor> in = new ArrayList<>();
      builder.inputs().forEach((name, p) -> in.add(new SignatureTensor(name, new TensorName(p.op().name(), 0), p.asOutput().dataType(),
          p.shape().asArray())));
      List<SignatureTensor> out = new ArrayList<>();
      builder.outputs().forEach((name, o) -> out.add(new SignatureTensor(name, new TensorName(o.op().name(), o.asOutput().index()),
          o.asOutput().dataType(), null)));
      return new TfGraph("serving_default", def.getVersions(), def.getNodeList(), in, out);
    }
  }

  /** Every layer class the converter cannot lower, in nested models too, with its layer names, in one message. */
  private static void checkSupport(Path file, ModelTopology topology) {
    Map<String, TreeSet<String>> unsupported = new TreeMap<>();
    collectUnsupported(topology, "", unsupported);
    if (!unsupported.isEmpty()) {
      StringBuilder message = new StringBuilder(file + " uses " + unsupported.size() + " Keras layer class(es) the converter cannot lower yet:");
      unsupported.forEach((cls, names) -> {
        message.append("\n  ").append(cls).append(" (").append(String.join(", ", names)).append(")");
        String advice = cls.startsWith("TFOpLambda ") || cls.startsWith("SlicingOpLambda ")
            ? FunctionLayers.unsupportedAdvice(cls.substring(cls.indexOf(" tf.") + 4)) : LayerRegistry.advice(cls);
        if (advice != null) {
          message.append(": ").append(advice);
        }
      });
      message.append("\nSupported layers: InputLayer, Sequential, Functional, ").append(String.join(", ", LayerRegistry.supported()));
      throw new ConversionException(message.toString());
    }
  }

  private static void collectUnsupported(ModelTopology model, String prefix, Map<String, TreeSet<String>> unsupported) {
    for (LayerNode layer : model.layers()) {
      if (layer.nested() != null) {
        collectUnsupported(layer.nested(), prefix + layer.name() + "/", unsupported);
      } else if (!layer.isInput() && !LayerRegistry.supports(layer.className())) {
        unsupported.computeIfAbsent(layer.className(), k -> new TreeSet<>()).add(prefix + layer.name());
      } else if (!layer.isInput() && LayerRegistry.unsupportedSetting(layer.className(), layer.config()) != null) {
        unsupported.computeIfAbsent(layer.className() + " " + LayerRegistry.unsupportedSetting(layer.className(), layer.config()),
            k -> new TreeSet<>()).add(prefix + layer.name());
      }
    }
  }
}
