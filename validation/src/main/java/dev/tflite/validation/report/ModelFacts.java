package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/** What the converted file holds: operator counts and constant bytes per tensor type. */
@JsonPropertyOrder({"ops", "weightBytesByType", "tensors"})
public record ModelFacts(Map<String, Integer> ops, Map<String, Long> weightBytesByType, int tensors) {

  public static ModelFacts read(Path tflite) throws IOException {
    ModelT model = ModelT.deserializeFromBinary(Files.readAllBytes(tflite));
    Map<String, Integer> ops = new TreeMap<>();
    for (OperatorT op : model.getSubgraphs()[0].getOperators()) {
      var code = model.getOperatorCodes()[(int) op.getOpcodeIndex()];
      ops.merge(BuiltinOperator.name(Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode())), 1, Integer::sum);
    }
    Map<String, Long> bytes = new TreeMap<>();
    TensorT[] tensors = model.getSubgraphs()[0].getTensors();
    for (TensorT t : tensors) {
      int[] data = t.getBuffer() > 0 ? model.getBuffers()[(int) t.getBuffer()].getData() : null;
      if (data != null && data.length > 0) {
        bytes.merge(TensorType.name(t.getType()).toLowerCase(java.util.Locale.ROOT), (long) data.length, Long::sum);
      }
    }
    return new ModelFacts(ops, bytes, tensors.length);
  }
}
