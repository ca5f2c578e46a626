package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

/**
 * What the converted file holds: operator counts, constant bytes per tensor type, the {@code min_runtime_version}
 * metadata (null when the file has none), and, in a model with integer activations, the compute ops that still run in
 * float (each "OP output-tensor"; QUANTIZE and DEQUANTIZE are the boundaries, not compute, and are not listed).
 */
@JsonPropertyOrder({"ops", "weightBytesByType", "tensors", "minRuntimeVersion", "floatOps"})
public record ModelFacts(Map<String, Integer> ops, Map<String, Long> weightBytesByType, int tensors, String minRuntimeVersion, List<String> floatOps) {

  /**
   * Reads the file through the flatbuffer tables of a memory map: the object API would unpack every weight buffer
   * into an int per byte (400 MB of heap for a ResNet-50-size float model).
   */
  public static ModelFacts read(Path tflite) throws IOException {
    Model model;
    try (FileChannel channel = FileChannel.open(tflite, StandardOpenOption.READ)) {
      model = Model.getRootAsModel(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN));
    }
    SubGraph graph = model.subgraphs(0);
    Map<String, Integer> ops = new TreeMap<>();
    List<String> floatOps = new ArrayList<>();
    boolean integerActivations = false;
    for (int i = 0; i < graph.tensorsLength(); i++) {
      Tensor t = graph.tensors(i);
      integerActivations |= t.buffer() <= 0 || model.buffers((int) t.buffer()).dataLength() == 0
          ? t.type() == TensorType.INT8 || t.type() == TensorType.INT16 : false;
    }
    for (int i = 0; i < graph.operatorsLength(); i++) {
      OperatorCode code = model.operatorCodes((int) graph.operators(i).opcodeIndex());
      String name = BuiltinOperator.name(Math.max(code.builtinCode(), code.deprecatedBuiltinCode()));
      ops.merge(name, 1, Integer::sum);
      Tensor out = graph.operators(i).outputsLength() == 0 ? null : graph.tensors(graph.operators(i).outputs(0));
      if (out != null && out.type() == TensorType.FLOAT32 && !name.equals("QUANTIZE") && !name.equals("DEQUANTIZE")) {
        floatOps.add(name + " " + out.name());
      }
    }
    Map<String, Long> bytes = new TreeMap<>();
    for (int i = 0; i < graph.tensorsLength(); i++) {
      Tensor t = graph.tensors(i);
      long size = t.buffer() > 0 ? model.buffers((int) t.buffer()).dataLength() : 0;
      if (size > 0) {
        bytes.merge(TensorType.name(t.type()).toLowerCase(java.util.Locale.ROOT), size, Long::sum);
      }
    }
    return new ModelFacts(ops, bytes, graph.tensorsLength(), minRuntimeVersion(model), integerActivations ? floatOps : List.of());
  }

  /** The official converter's metadata entry: a version string zero-padded to 16 bytes. */
  private static String minRuntimeVersion(Model model) {
    for (int i = 0; i < model.metadataLength(); i++) {
      if ("min_runtime_version".equals(model.metadata(i).name())) {
        java.nio.ByteBuffer data = model.buffers((int) model.metadata(i).buffer()).dataAsByteBuffer();
        if (data == null) {
          return null;
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
          end++;
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
      }
    }
    return null;
  }
}
