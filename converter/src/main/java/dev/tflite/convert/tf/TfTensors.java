package dev.tflite.convert.tf;

import com.google.protobuf.UnsafeByteOperations;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import org.tensorflow.Tensor;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Moves tensor contents between TensorFlow (runtime tensors, Const nodes) and the IR's {@link TensorData}. */
public final class TfTensors {
  private TfTensors() {}

  public static TensorData fromTensor(Tensor tensor, String what) {
    DType type = DType.fromTensorFlow(tensor.dataType());
    if (type == null) {
      throw new ConversionException(what + " has type " + tensor.dataType() + ", which TensorFlow Lite conversion does not support");
    }
    if (tensor.numBytes() > Integer.MAX_VALUE - 16) {
      throw new ConversionException(what + " alone takes " + tensor.numBytes() + " bytes, over the 2 GiB a single TensorFlow Lite buffer can hold;"
          + " a model with such a tensor cannot be converted for the TensorFlow Lite 2.6 runtime");
    }
    byte[] bytes = new byte[(int) tensor.numBytes()];
    tensor.asRawTensor().data().read(bytes);
    return new TensorData(type, tensor.shape().asArray(), bytes);
  }

  /** A Const node holding {@code data}. */
  public static NodeDef constNode(String name, TensorData data) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : data.shape()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    TensorProto value = TensorProto.newBuilder()
        .setDtype(data.type().tfType())
        .setTensorShape(shape)
        .setTensorContent(UnsafeByteOperations.unsafeWrap(data.bytes())) // TensorData never changes its bytes: no copy
        .build();
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(data.type().tfType()).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(value).build())
        .build();
  }

  /**
   * The value of a Const node whose contents are stored raw (how large weights are saved), read straight from the
   * proto; null for any other node or encoding, which TensorFlow then evaluates.
   */
  public static TensorData rawConstValue(NodeDef node) {
    if (!node.getOp().equals("Const") || !node.containsAttr("value")) {
      return null;
    }
    TensorProto value = node.getAttrOrThrow("value").getTensor();
    DType type = DType.fromTensorFlow(value.getDtype());
    if (type == null || value.getTensorContent().isEmpty() || value.getTensorShape().getUnknownRank()) {
      return null;
    }
    long[] shape = new long[value.getTensorShape().getDimCount()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = value.getTensorShape().getDim(i).getSize();
      if (shape[i] < 0) {
        return null;
      }
      elements *= shape[i];
    }
    if (value.getTensorContent().size() != elements * type.byteSize()) {
      return null;
    }
    return TensorData.viewOf(type, shape, value.getTensorContent().asReadOnlyByteBuffer()); // read in place, not copied
  }

  /**
   * The value of a float32 or int32 Const node however it is stored (raw contents, or a value list, where one value
   * fills the shape as TensorFlow reads it); null for any other node or type.
   */
  public static TensorData constValue(NodeDef node) {
    TensorData raw = rawConstValue(node);
    if (raw != null || !node.getOp().equals("Const") || !node.containsAttr("value")) {
      return raw;
    }
    TensorProto value = node.getAttrOrThrow("value").getTensor();
    if (value.getTensorShape().getUnknownRank()) {
      return null;
    }
    long[] shape = value.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
    long count = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (count < 0 || count > Integer.MAX_VALUE) {
      return null;
    }
    if (value.getDtype() == DataType.DT_FLOAT && value.getFloatValCount() <= Math.max(count, 1)) {
      float[] out = new float[(int) count];
      for (int i = 0; i < out.length && value.getFloatValCount() > 0; i++) {
        out[i] = value.getFloatVal(Math.min(i, value.getFloatValCount() - 1)); // the last value repeats
      }
      return TensorData.ofFloats(shape, out);
    }
    if (value.getDtype() == DataType.DT_INT32 && value.getIntValCount() <= Math.max(count, 1)) {
      int[] out = new int[(int) count];
      for (int i = 0; i < out.length && value.getIntValCount() > 0; i++) {
        out[i] = value.getIntVal(Math.min(i, value.getIntValCount() - 1));
      }
      return TensorData.ofInts(shape, out);
    }
    return null;
  }

  public static DataType attrType(NodeDef node, String attr) {
    return node.getAttrOrThrow(attr).getType();
  }
}
