package dev.tflite.convert.importer;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Reads an existing float32 {@code .tflite} into the IR, so it can be quantized without its TensorFlow original
 * (what the LiteRT quantizer does). Each tensor's {@link Tensor#sourceTensor()} is its name in the source file, which
 * calibration and per-layer drift use to find it again.
 */
public final class TfliteImporter {
  /** The graph and the signature key it was read under. */
  public record Imported(Graph graph, String signatureKey) {}

  private TfliteImporter() {}

  public static Imported read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConversionException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length < 8 || !Model.ModelBufferHasIdentifier(ByteBuffer.wrap(bytes))) {
      throw new ConversionException(file + " is not a TensorFlow Lite model (no TFL3 file identifier)");
    }
    // The structure is unpacked into the object API; weight buffers are read through the tables, because the object
    // API would unpack every weight byte into an int.
    Model table;
    SubGraphT sub;
    OperatorCodeT[] operatorCodes;
    SignatureDefT[] signatures;
    try {
      table = Model.getRootAsModel(ByteBuffer.wrap(bytes));
      if (table.subgraphsLength() != 1) {
        throw new ConversionException(file + " has " + table.subgraphsLength() + " subgraphs; only single-subgraph models (no control flow) can be"
            + " re-quantized");
      }
      sub = table.subgraphs(0).unpack();
      operatorCodes = new OperatorCodeT[table.operatorCodesLength()];
      for (int i = 0; i < operatorCodes.length; i++) {
        operatorCodes[i] = table.operatorCodes(i).unpack();
      }
      signatures = new SignatureDefT[table.signatureDefsLength()];
      for (int i = 0; i < signatures.length; i++) {
        signatures[i] = table.signatureDefs(i).unpack();
      }
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConversionException(file + " is a corrupt TensorFlow Lite model: " + e, e);
    }
    Graph graph = new Graph();
    List<Tensor> tensors = new ArrayList<>();
    for (TensorT t : sub.getTensors()) {
      tensors.add(tensor(graph, t, table, file));
    }
    Map<String, TreeSet<String>> unsupported = new TreeMap<>();
    for (OperatorT op : sub.getOperators()) {
      OperatorCodeT code = operatorCodes[(int) op.getOpcodeIndex()];
      int builtin = Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode());
      String opName = builtin == BuiltinOperator.CUSTOM ? "CUSTOM:" + code.getCustomCode() : BuiltinOperator.name(builtin);
      OpType type = opType(builtin);
      String origin = tensors.get(op.getOutputs()[0]).name();
      if (type == null) {
        unsupported.computeIfAbsent(opName, k -> new TreeSet<>()).add(origin);
        continue;
      }
      List<Tensor> inputs = new ArrayList<>();
      for (int i : op.getInputs()) {
        inputs.add(i < 0 ? null : tensors.get(i));
      }
      List<Tensor> outputs = new ArrayList<>();
      for (int i : op.getOutputs()) {
        outputs.add(tensors.get(i));
      }
      Object options = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
      graph.addOperator(new Operator(type, inputs, outputs, TfliteOptions.read(type, options, opName + " '" + origin + "'"), origin));
    }
    if (!unsupported.isEmpty()) {
      StringBuilder message = new StringBuilder(file + " uses " + unsupported.size() + " op type(s) this converter cannot re-quantize:");
      unsupported.forEach((op, outs) -> message.append("\n  ").append(op).append(" (producing ").append(String.join(", ", outs)).append(")"));
      throw new ConversionException(message.toString());
    }
    String key = "serving_default";
    if (signatures.length > 0) {
      key = signatures[0].getSignatureKey();
      for (TensorMapT in : sortedMaps(signatures[0].getInputs())) {
        graph.addInput(in.getName(), tensors.get((int) in.getTensorIndex()));
      }
      for (TensorMapT out : sortedMaps(signatures[0].getOutputs())) {
        graph.addOutput(out.getName(), tensors.get((int) out.getTensorIndex()));
      }
    } else {
      for (int i : sub.getInputs()) {
        graph.addInput(tensors.get(i).name(), tensors.get(i));
      }
      for (int i : sub.getOutputs()) {
        graph.addOutput(tensors.get(i).name(), tensors.get(i));
      }
    }
    for (Tensor in : graph.inputs().values()) {
      if (in.type() != DType.FLOAT32) {
        throw new ConversionException(file + " is already quantized (input '" + in.name() + "' is " + in.type()
            + "); <source> may be a float32 .tflite only");
      }
    }
    return new Imported(graph, key);
  }

  private static List<TensorMapT> sortedMaps(TensorMapT[] maps) {
    List<TensorMapT> list = new ArrayList<>(List.of(maps));
    list.sort(java.util.Comparator.comparing(TensorMapT::getName));
    return list;
  }

  private static Tensor tensor(Graph graph, TensorT t, Model model, Path file) {
    DType type = dtype(t.getType());
    if (type == null) {
      throw new ConversionException(file + ": tensor '" + t.getName() + "' has type " + TensorType.name(t.getType()) + ", which cannot be re-quantized");
    }
    long[] shape = t.getShape() == null ? new long[0] : java.util.Arrays.stream(t.getShape()).asLongStream().toArray();
    ByteBuffer data = t.getBuffer() > 0 && t.getBuffer() < model.buffersLength() ? model.buffers((int) t.getBuffer()).dataAsByteBuffer() : null;
    Tensor tensor;
    if (data != null && data.remaining() > 0) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      tensor = graph.newConstant(t.getName(), new TensorData(type, shape, bytes), t.getName());
    } else {
      tensor = graph.newTensor(t.getName(), type, shape, t.getName());
      int[] signature = t.getShapeSignature();
      if (signature != null && signature.length == shape.length) {
        boolean[] dynamic = new boolean[shape.length];
        for (int i = 0; i < shape.length; i++) {
          dynamic[i] = signature[i] < 0;
        }
        tensor.setDynamicDims(dynamic);
      }
    }
    tensor.setSourceTensor(t.getName());
    if (t.getQuantization() != null && t.getQuantization().getScale() != null && t.getQuantization().getScale().length > 0) {
      tensor.setQuantization(new Quantization(t.getQuantization().getScale(), t.getQuantization().getZeroPoint(),
          t.getQuantization().getQuantizedDimension()));
    }
    return tensor;
  }

  private static DType dtype(byte type) {
    for (DType d : DType.values()) {
      if (d.tfliteType() == type) {
        return d;
      }
    }
    return null;
  }

  private static OpType opType(int builtin) {
    for (OpType t : OpType.values()) {
      if (t.builtinCode() == builtin) {
        return t;
      }
    }
    return null;
  }
}
