package dev.tflite.testmodels;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;

/**
 * Older official files (converted from Keras .h5 by {@code from_keras_model}) carry no SignatureDef, and Keras 3
 * exports name outputs {@code output_0}; the runners and validation match outputs by signature name. For timing and
 * drift only, a copy gets the signature of our file of the same model, matched by the position of each input and output
 * in the subgraph; sizes are always read from the original.
 */
public final class SignatureCopy {
  private SignatureCopy() {}

  public static Path runnable(Path official, Path ours, Path dir) throws IOException {
    ModelT model = ModelT.deserializeFromBinary(Files.readAllBytes(official));
    ModelT reference = ModelT.deserializeFromBinary(Files.readAllBytes(ours));
    SignatureDefT ourSignature = reference.getSignatureDefs()[0];
    if (model.getSignatureDefs() != null && model.getSignatureDefs().length > 0 && names(model.getSignatureDefs()[0]).equals(names(ourSignature))) {
      return official;
    }
    SubGraphT ourGraph = reference.getSubgraphs()[0];
    SubGraphT graph = model.getSubgraphs()[0];
    SignatureDefT signature = new SignatureDefT();
    signature.setSignatureKey(ourSignature.getSignatureKey());
    signature.setSubgraphIndex(0);
    signature.setInputs(remap(ourSignature.getInputs(), ourGraph.getInputs(), graph.getInputs()));
    signature.setOutputs(remap(ourSignature.getOutputs(), ourGraph.getOutputs(), graph.getOutputs()));
    model.setSignatureDefs(new SignatureDefT[] {signature});
    // The object API writes absent vectors back as empty ones, which the runtime reads differently: an empty buffer as a
    // 0-byte constant, empty custom options as custom options on a builtin. Absent they stay.
    for (BufferT buffer : model.getBuffers()) {
      if (buffer.getData() != null && buffer.getData().length == 0) {
        buffer.setData(null);
      }
    }
    for (SubGraphT subgraph : model.getSubgraphs()) {
      for (OperatorT op : subgraph.getOperators()) {
        if (op.getCustomOptions() != null && op.getCustomOptions().length == 0) {
          op.setCustomOptions(null);
        }
        if (op.getMutatingVariableInputs() != null && op.getMutatingVariableInputs().length == 0) {
          op.setMutatingVariableInputs(null);
        }
        if (op.getIntermediates() != null && op.getIntermediates().length == 0) {
          op.setIntermediates(null);
        }
      }
    }
    FlatBufferBuilder builder = new FlatBufferBuilder(Files.readAllBytes(official).length + 4096);
    Model.finishModelBuffer(builder, Model.pack(builder, model));
    ByteBuffer bytes = builder.dataBuffer();
    byte[] out = new byte[bytes.remaining()];
    bytes.get(out);
    Path copy = dir.resolve("signed-" + official.getParent().getFileName() + "-" + official.getFileName());
    Files.write(copy, out);
    return copy;
  }

  private static java.util.List<String> names(SignatureDefT signature) {
    java.util.List<String> names = new java.util.ArrayList<>();
    Arrays.stream(signature.getInputs()).map(TensorMapT::getName).sorted().forEach(names::add);
    names.add("->");
    Arrays.stream(signature.getOutputs()).map(TensorMapT::getName).sorted().forEach(names::add);
    return names;
  }

  private static TensorMapT[] remap(TensorMapT[] ours, int[] ourTensors, int[] theirTensors) {
    if (ourTensors.length != theirTensors.length) {
      throw new IllegalArgumentException("the official file has " + theirTensors.length + " inputs/outputs, ours " + ourTensors.length);
    }
    return Arrays.stream(ours).map(m -> {
      int position = Arrays.stream(ourTensors).boxed().toList().indexOf((int) m.getTensorIndex());
      TensorMapT t = new TensorMapT();
      t.setName(m.getName());
      t.setTensorIndex(theirTensors[position]);
      return t;
    }).toArray(TensorMapT[]::new);
  }
}
