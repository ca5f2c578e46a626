package dev.tflite.convert.write;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.tflite.convert.write.metadata.MetadataWriter;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Metadata;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SignatureDef;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Serialises the IR with the official TensorFlow Lite schema classes: schema version 3, file identifier TFL3, one
 * subgraph, a SignatureDef carrying the original signature's input and output names, and the official converter's
 * {@code min_runtime_version} metadata. The output depends only on the
 * IR, so identical input gives identical bytes.
 */
public final class FlatBufferWriter {
  private static final int SCHEMA_VERSION = 3;

  private FlatBufferWriter() {}

  public static byte[] write(Graph graph, String signatureKey, String description) {
    return write(graph, signatureKey, description, graph.outputs());
  }

  /**
   * The serialized model as a read-only view of the builder's own buffer, positioned at its first byte: written to a
   * file without another copy of a large model's weights.
   */
  public static ByteBuffer serialize(Graph graph, String signatureKey, String description) {
    return serialize(graph, signatureKey, description, null);
  }

  /**
   * As {@link #serialize(Graph, String, String)}, with {@code metadata} (a metadata-schema flatbuffer, or null) stored
   * in one more buffer that the model's metadata entry {@code TFLITE_METADATA} names, where the official populator
   * puts it. Built in the same pass, so the weights are not packed a second time.
   */
  public static ByteBuffer serialize(Graph graph, String signatureKey, String description, byte[] metadata) {
    return build(graph, signatureKey, description, graph.outputs(), metadata).dataBuffer().asReadOnlyBuffer();
  }

  /**
   * Writes the graph with the given named outputs instead of its own: a debug copy whose outputs include intermediate
   * tensors (the interpreter keeps output tensors intact, so they can be read after a run).
   */
  public static byte[] write(Graph graph, String signatureKey, String description, Map<String, Tensor> outputs) {
    return build(graph, signatureKey, description, outputs, null).sizedByteArray();
  }

  private static FlatBufferBuilder build(Graph graph, String signatureKey, String description, Map<String, Tensor> outputs, byte[] metadata) {
    Map<Tensor, Integer> index = new IdentityHashMap<>();
    List<TensorT> tensors = new ArrayList<>();
    List<byte[]> buffers = new ArrayList<>();
    buffers.add(null); // buffer 0: the empty sentinel that non-constant tensors point at
    // Constants with the same bytes share one buffer, as the official converter's deduplication does: an unrolled
    // recurrent layer uses its recurrent kernel once per step, each use its own tensor (laid out for its op).
    Map<java.nio.ByteBuffer, Integer> bufferOf = new java.util.HashMap<>();
    // Equal constants (type, shape, quantization and bytes) are one tensor: the steps of an unrolled recurrent layer
    // slice with the same begin and size vectors, and each tensor costs its table in the file.
    Map<ConstantKey, Integer> constantOf = new java.util.HashMap<>();
    for (Tensor t : graph.tensors()) {
      if (t.isConstant()) {
        ConstantKey key = ConstantKey.of(t);
        Integer same = constantOf.get(key);
        if (same != null) {
          index.put(t, same);
          continue;
        }
        constantOf.put(key, tensors.size());
      }
      index.put(t, tensors.size());
      tensors.add(tensor(t, buffers, bufferOf));
    }

    Map<String, Integer> opcodeIndex = new LinkedHashMap<>();
    List<OperatorCodeT> opcodes = new ArrayList<>();
    List<OperatorT> operators = new ArrayList<>();
    for (Operator op : graph.operators()) {
      int version = OpVersions.of(op);
      String key = op.type() + "/" + version;
      Integer code = opcodeIndex.get(key);
      if (code == null) {
        code = opcodes.size();
        opcodeIndex.put(key, code);
        OperatorCodeT c = new OperatorCodeT();
        c.setBuiltinCode(op.type().builtinCode());
        c.setDeprecatedBuiltinCode((byte) Math.min(op.type().builtinCode(), 127));
        c.setVersion(version);
        opcodes.add(c);
      }
      OperatorT o = new OperatorT();
      o.setOpcodeIndex(code);
      o.setInputs(op.inputs().stream().mapToInt(t -> t == null ? -1 : index.get(t)).toArray());
      o.setOutputs(op.outputs().stream().mapToInt(index::get).toArray());
      o.setBuiltinOptions(op.options().toUnion());
      if (!op.intermediates().isEmpty()) {
        o.setIntermediates(op.intermediates().stream().mapToInt(index::get).toArray());
      }
      operators.add(o);
    }

    SubGraphT subgraph = new SubGraphT();
    subgraph.setName("main");
    subgraph.setTensors(tensors.toArray(TensorT[]::new));
    subgraph.setInputs(graph.inputs().values().stream().mapToInt(index::get).toArray());
    subgraph.setOutputs(new java.util.TreeMap<>(outputs).values().stream().mapToInt(index::get).toArray());
    subgraph.setOperators(operators.toArray(OperatorT[]::new));

    // Packed by hand rather than with Model.pack: the object API holds buffer bytes as int[] (four bytes per byte and a
    // boxed-size copy of every weight), while Buffer.createDataVector copies the bytes once, straight into the builder.
    long weightBytes = buffers.stream().filter(b -> b != null).mapToLong(b -> b.length).sum();
    FlatBufferBuilder builder = new FlatBufferBuilder((int) Math.min(Integer.MAX_VALUE - 8, weightBytes + (1 << 20)));
    int minRuntimeBuffer = buffers.size(); // the last buffer, as the official converter appends it
    buffers.add(MinimumRuntime.metadataBytes(MinimumRuntime.of(graph)));
    // the app-facing metadata after it, where the official populator appends it to a converted file
    int metadataBuffer = -1;
    if (metadata != null) {
      metadataBuffer = buffers.size();
      buffers.add(metadata);
    }
    int[] bufferOffsets = new int[buffers.size()];
    for (int i = 0; i < buffers.size(); i++) {
      int data = buffers.get(i) == null ? 0 : Buffer.createDataVector(builder, buffers.get(i));
      Buffer.startBuffer(builder);
      if (data != 0) {
        Buffer.addData(builder, data);
      }
      bufferOffsets[i] = Buffer.endBuffer(builder);
    }
    int buffersVector = Model.createBuffersVector(builder, bufferOffsets);
    int minRuntimeEntry = Metadata.createMetadata(builder, builder.createString(MinimumRuntime.METADATA_NAME), minRuntimeBuffer);
    int metadataVector = Model.createMetadataVector(builder, metadataBuffer < 0 ? new int[] {minRuntimeEntry}
        : new int[] {minRuntimeEntry, Metadata.createMetadata(builder, builder.createString(MetadataWriter.METADATA_NAME), metadataBuffer)});
    int[] opcodeOffsets = opcodes.stream().mapToInt(c -> OperatorCode.pack(builder, c)).toArray();
    int opcodesVector = Model.createOperatorCodesVector(builder, opcodeOffsets);
    int subgraphsVector = Model.createSubgraphsVector(builder, new int[] {SubGraph.pack(builder, subgraph)});
    int descriptionOffset = builder.createString(description);
    int signaturesVector = Model.createSignatureDefsVector(builder,
        new int[] {SignatureDef.pack(builder, signature(graph.inputs(), outputs, signatureKey, index))});
    int model = Model.createModel(builder, SCHEMA_VERSION, opcodesVector, subgraphsVector, descriptionOffset, buffersVector, 0, metadataVector,
        signaturesVector);
    Model.finishModelBuffer(builder, model);
    return builder;
  }

  /** What makes two constant tensors interchangeable in the file (the name aside). */
  private record ConstantKey(int type, List<Long> shape, List<Boolean> dynamic, String quantization, java.nio.ByteBuffer bytes) {
    static ConstantKey of(Tensor t) {
      Quantization q = t.quantization();
      String quant = q == null ? "" : java.util.Arrays.toString(q.scales()) + java.util.Arrays.toString(q.zeroPoints()) + "@" + q.axis();
      List<Boolean> dynamic = new ArrayList<>();
      for (boolean d : t.dynamicDims()) {
        dynamic.add(d);
      }
      return new ConstantKey(t.type().tfliteType(), java.util.Arrays.stream(t.shape()).boxed().toList(), dynamic, quant,
          java.nio.ByteBuffer.wrap(t.data().bytes()));
    }
  }

  private static TensorT tensor(Tensor t, List<byte[]> buffers, Map<java.nio.ByteBuffer, Integer> bufferOf) {
    TensorT out = new TensorT();
    out.setName(t.name());
    out.setType(t.type().tfliteType());
    out.setShape(Shapes.toInts(t.shape()));
    boolean[] dynamic = t.dynamicDims();
    boolean anyDynamic = false;
    int[] signature = Shapes.toInts(t.shape());
    for (int i = 0; i < dynamic.length; i++) {
      if (dynamic[i]) {
        signature[i] = -1;
        anyDynamic = true;
      }
    }
    if (anyDynamic) {
      out.setShapeSignature(signature);
    }
    if (t.isConstant()) {
      byte[] bytes = t.data().bytes();
      Integer shared = bufferOf.get(java.nio.ByteBuffer.wrap(bytes));
      if (shared != null) {
        out.setBuffer(shared);
      } else {
        bufferOf.put(java.nio.ByteBuffer.wrap(bytes), buffers.size());
        out.setBuffer(buffers.size());
        buffers.add(bytes);
      }
    } else {
      out.setBuffer(0);
    }
    out.setIsVariable(t.isVariable());
    Quantization q = t.quantization();
    if (q != null) {
      QuantizationParametersT params = new QuantizationParametersT();
      params.setScale(q.scales());
      params.setZeroPoint(q.zeroPoints());
      params.setQuantizedDimension(q.axis());
      out.setQuantization(params);
    }
    return out;
  }

  private static SignatureDefT signature(Map<String, Tensor> inputs, Map<String, Tensor> outputs, String key, Map<Tensor, Integer> index) {
    SignatureDefT signature = new SignatureDefT();
    signature.setSignatureKey(key);
    signature.setSubgraphIndex(0);
    signature.setInputs(tensorMaps(inputs, index));
    signature.setOutputs(tensorMaps(outputs, index));
    return signature;
  }

  private static TensorMapT[] tensorMaps(Map<String, Tensor> named, Map<Tensor, Integer> index) {
    List<TensorMapT> maps = new ArrayList<>();
    Map<String, Tensor> sorted = new java.util.TreeMap<>(named);
    sorted.forEach((name, t) -> {
      TensorMapT m = new TensorMapT();
      m.setName(name);
      m.setTensorIndex(index.get(t));
      maps.add(m);
    });
    return maps.toArray(TensorMapT[]::new);
  }

}
