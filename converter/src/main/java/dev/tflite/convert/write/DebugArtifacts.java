package dev.tflite.convert.write;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.tf.TfGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What validation needs to localize drift, written next to the build (never shipped): the float model before
 * quantization ({@code <name>.float.tflite}), the converted model with every layer output exposed
 * ({@code <name>.debug.tflite}), the reference that produces the same tensors (the frozen TensorFlow graph
 * {@code <name>.frozen.pb}, or for a .tflite source its float debug copy {@code <name>.reference.debug.tflite}) and the
 * map between them ({@code <name>.layers.json}).
 */
public final class DebugArtifacts {
  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** One exposed layer output: its TensorFlow Lite tensor, the reference tensor, the op writing it and its type. */
  @JsonPropertyOrder({"tensor", "source", "op", "origin", "type", "scale"})
  public record Layer(String tensor, String source, String op, String origin, String type, Float scale) {}

  /**
   * The sidecar: how to feed the reference and which tensors to compare, in execution order, and what the conversion
   * noted of the model (each recurrent layer written unrolled rather than fused, and why) for the report.
   */
  @JsonPropertyOrder({"model", "reference", "inputs", "outputs", "layers", "notes"})
  public record LayerMap(String model, String reference, Map<String, String> inputs, Map<String, String> outputs, List<Layer> layers,
      List<String> notes) {}

  private final Path directory;
  private final String model;

  public DebugArtifacts(Path directory, String model) {
    this.directory = directory;
    this.model = model;
  }

  public static Path layerMap(Path directory, String model) {
    return directory.resolve(model + ".layers.json");
  }

  public static LayerMap readLayerMap(Path file) throws IOException {
    return JSON.readValue(file.toFile(), LayerMap.class);
  }

  /** The float graph as converted, before quantization. */
  public void writeFloat(Graph floatGraph, String signatureKey) throws IOException {
    write(model + ".float.tflite", FlatBufferWriter.write(floatGraph, signatureKey, "debug"));
  }

  public void writeFrozenGraph(TfGraph frozen) throws IOException {
    write(model + ".frozen.pb", frozen.toGraphDef().toByteArray());
    Files.deleteIfExists(openLengthReference(directory, model)); // a previous conversion's: written again below when it applies
  }

  /**
   * For a model whose sequence length stays open in the file: the reference built at the other length the converter
   * probed, so that validation also runs the file resized to it (after {@link #writeFrozenGraph}).
   */
  public void writeOpenLengthReference(TfGraph frozen) throws IOException {
    write(openLengthReference(directory, model).getFileName().toString(), frozen.toGraphDef().toByteArray());
  }

  public static Path openLengthReference(Path directory, String model) {
    return directory.resolve(model + ".frozen.open-length.pb");
  }

  /**
   * Only the reference: the TensorFlow graph a Keras model was lowered to, and a map naming its inputs and outputs with
   * no layers (for validating a file this converter did not make, e.g. from the CLI).
   */
  public void writeReferenceOnly(TfGraph frozen, Map<String, String> referenceInputs, Map<String, String> referenceOutputs) throws IOException {
    writeFrozenGraph(frozen);
    Files.createDirectories(directory);
    JSON.writeValue(layerMap(directory, model).toFile(),
        new LayerMap(model, "tensorflow", new TreeMap<>(referenceInputs), new TreeMap<>(referenceOutputs), List.of(), List.of()));
  }

  /** For a .tflite source: the float graph with every activation exposed, the reference for per-layer drift. */
  public void writeReferenceDebug(Graph floatGraph, String signatureKey) throws IOException {
    write(model + ".reference.debug.tflite", FlatBufferWriter.write(floatGraph, signatureKey, "debug", layerOutputs(floatGraph)));
  }

  /** The final graph with every layer output exposed, and the map to the reference tensors. */
  public void writeDebug(Graph graph, String signatureKey, String reference, Map<String, String> referenceInputs, Map<String, String> referenceOutputs)
      throws IOException {
    Map<String, Tensor> outputs = layerOutputs(graph);
    write(model + ".debug.tflite", FlatBufferWriter.write(graph, signatureKey, "debug", outputs));
    List<Layer> layers = new ArrayList<>();
    for (Operator op : graph.operators()) {
      for (Tensor t : op.outputs()) {
        if (outputs.get(t.sourceTensor()) == t) {
          Float scale = t.quantization() == null ? null : t.quantization().scales()[0];
          layers.add(new Layer(t.name(), t.sourceTensor(), op.type().name(), op.origin(), t.type().name(), scale));
        }
      }
    }
    Files.createDirectories(directory);
    JSON.writeValue(layerMap(directory, model).toFile(), new LayerMap(model, reference, new TreeMap<>(referenceInputs), new TreeMap<>(referenceOutputs), layers,
        graph.notes()));
  }

  /** Layer outputs keyed by their reference tensor: op results, not the QUANTIZE/DEQUANTIZE copies around them. */
  private static Map<String, Tensor> layerOutputs(Graph graph) {
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (Operator op : graph.operators()) {
      if (op.type() == OpType.QUANTIZE || op.type() == OpType.DEQUANTIZE) {
        continue;
      }
      for (Tensor t : op.outputs()) {
        boolean readable = t.type() == DType.FLOAT32 || t.type() == DType.INT8 || t.type() == DType.UINT8;
        if (t.sourceTensor() != null && readable && !graph.inputs().containsValue(t)) {
          outputs.putIfAbsent(t.sourceTensor(), t);
        }
      }
    }
    return outputs;
  }

  private void write(String file, byte[] bytes) throws IOException {
    AtomicFiles.write(directory.resolve(file), bytes);
  }
}
