package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

/** What the converted file holds: operator counts and constant bytes per tensor type. */
@JsonPropertyOrder({"ops", "weightBytesByType", "tensors"})
public record ModelFacts(Map<String, Integer> ops, Map<String, Long> weightBytesByType, int tensors) {

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
    for (int i = 0; i < graph.operatorsLength(); i++) {
      OperatorCode code = model.operatorCodes((int) graph.operators(i).opcodeIndex());
      ops.merge(BuiltinOperator.name(Math.max(code.builtinCode(), code.deprecatedBuiltinCode())), 1, Integer::sum);
    }
    Map<String, Long> bytes = new TreeMap<>();
    for (int i = 0; i < graph.tensorsLength(); i++) {
      Tensor t = graph.tensors(i);
      long size = t.buffer() > 0 ? model.buffers((int) t.buffer()).dataLength() : 0;
      if (size > 0) {
        bytes.merge(TensorType.name(t.type()).toLowerCase(java.util.Locale.ROOT), size, Long::sum);
      }
    }
    return new ModelFacts(ops, bytes, graph.tensorsLength());
  }
}
