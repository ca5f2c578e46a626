package dev.tflite.convert.importer;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.OpDefRegistry;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Checks a graph in Java before TensorFlow's native code sees it: some malformed values (an unknown data type, a
 * constant whose bytes do not match its shape, a negative dimension) make the native runtime abort the whole JVM
 * instead of returning an error. Found by the importer fuzz test.
 */
final class GraphDefChecks {
  private static final int MAX_PROBLEMS = 10;

  private GraphDefChecks() {}

  static void check(String file, GraphDef graph, Iterable<TensorInfo> signatureTensors) {
    List<String> problems = new ArrayList<>();
    java.util.Set<String> functions = new java.util.HashSet<>();
    graph.getLibrary().getFunctionList().forEach(f -> functions.add(f.getSignature().getName()));
    java.util.Set<String> unknownOps = new java.util.TreeSet<>();
    for (NodeDef node : graph.getNodeList()) {
      checkNode("node '" + node.getName() + "'", node, problems);
      if (OpDefRegistry.find(node.getOp()) == null && !functions.contains(node.getOp())) {
        unknownOps.add(node.getOp());
      }
    }
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      for (NodeDef node : f.getNodeDefList()) {
        if (OpDefRegistry.find(node.getOp()) == null && !functions.contains(node.getOp())) {
          unknownOps.add(node.getOp());
        }
      }
    }
    if (!unknownOps.isEmpty()) {
      throw new ConversionException(file + " uses op types this TensorFlow runtime does not know: " + unknownOps
          + " (custom ops, or a corrupted file); convert a graph made of standard TensorFlow ops");
    }
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      for (NodeDef node : f.getNodeDefList()) {
        checkNode("node '" + node.getName() + "' of function '" + f.getSignature().getName() + "'", node, problems);
      }
    }
    for (TensorInfo info : signatureTensors) {
      if (!validType(info.getDtypeValue())) {
        problems.add("signature tensor '" + info.getName() + "' has an invalid data type " + info.getDtypeValue());
      }
      checkShape("signature tensor '" + info.getName() + "'", info.getTensorShape(), true, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConversionException(file + " is malformed (" + problems.size() + (problems.size() >= MAX_PROBLEMS ? "+" : "") + " problem(s)): "
          + String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS, problems.size()))) + "; re-export the model or restore the file");
    }
  }

  private static void checkNode(String where, NodeDef node, List<String> problems) {
    if (problems.size() >= MAX_PROBLEMS) {
      return;
    }
    org.tensorflow.proto.OpDef def = OpDefRegistry.find(node.getOp());
    if (def != null) {
      int expected = OpDefRegistry.expectedInputCount(def, node);
      long actual = node.getInputList().stream().filter(i -> !i.startsWith("^")).count();
      if (expected >= 0 && expected != actual) {
        problems.add(where + " (" + node.getOp() + ") has " + actual + " inputs; the op takes " + expected);
      }
    }
    node.getAttrMap().forEach((name, value) -> checkAttr(where + " attribute '" + name + "'", value, problems));
  }

  private static void checkAttr(String where, AttrValue value, List<String> problems) {
    switch (value.getValueCase()) {
      case TYPE -> {
        if (!validType(value.getTypeValue())) {
          problems.add(where + " has an invalid data type " + value.getTypeValue());
        }
      }
      case LIST -> {
        for (int t : value.getList().getTypeValueList()) {
          if (!validType(t)) {
            problems.add(where + " lists an invalid data type " + t);
          }
        }
        value.getList().getShapeList().forEach(s -> checkShape(where, s, true, problems));
        value.getList().getTensorList().forEach(t -> checkTensor(where, t, problems));
      }
      case SHAPE -> checkShape(where, value.getShape(), true, problems);
      case TENSOR -> checkTensor(where, value.getTensor(), problems);
      default -> { }
    }
  }

  private static void checkTensor(String where, TensorProto tensor, List<String> problems) {
    if (!validType(tensor.getDtypeValue()) || tensor.getDtype() == DataType.DT_INVALID) {
      problems.add(where + " holds a tensor of invalid data type " + tensor.getDtypeValue());
      return;
    }
    if (!checkShape(where, tensor.getTensorShape(), false, problems)) {
      return;
    }
    int size = byteSize(tensor.getDtype());
    if (size > 0 && !tensor.getTensorContent().isEmpty()) {
      long elements = 1;
      for (TensorShapeProto.Dim d : tensor.getTensorShape().getDimList()) {
        elements = Math.multiplyExact(elements, d.getSize());
      }
      if (tensor.getTensorContent().size() != elements * size) {
        problems.add(where + " holds " + tensor.getTensorContent().size() + " bytes for " + elements + " elements of " + tensor.getDtype());
      }
    }
  }

  private static boolean checkShape(String where, TensorShapeProto shape, boolean unknownAllowed, List<String> problems) {
    if (shape.getUnknownRank()) {
      return unknownAllowed;
    }
    if (shape.getDimCount() > 32) {
      problems.add(where + " has rank " + shape.getDimCount());
      return false;
    }
    long elements = 1;
    for (TensorShapeProto.Dim d : shape.getDimList()) {
      if (d.getSize() < (unknownAllowed ? -1 : 0)) {
        problems.add(where + " has dimension " + d.getSize());
        return false;
      }
      if (d.getSize() > 0 && elements > Long.MAX_VALUE / d.getSize() / 16) {
        problems.add(where + " has an impossible element count");
        return false;
      }
      elements *= Math.max(1, d.getSize());
    }
    return true;
  }

  /** A data type TensorFlow knows, including reference types (value + 100). */
  private static boolean validType(int value) {
    int base = value > 100 ? value - 100 : value;
    DataType t = DataType.forNumber(base);
    return t != null && t != DataType.UNRECOGNIZED && (value == 0 || base != 0);
  }

  private static int byteSize(DataType type) {
    return switch (type) {
      case DT_FLOAT, DT_INT32, DT_UINT32, DT_QINT32 -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16, DT_QINT16, DT_QUINT16 -> 2;
      case DT_INT8, DT_UINT8, DT_BOOL, DT_QINT8, DT_QUINT8 -> 1;
      case DT_COMPLEX128 -> 16;
      default -> 0;
    };
  }
}
