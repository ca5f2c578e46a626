package dev.tflite.convert.tf;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * The op definitions registered in the TensorFlow runtime, read once per JVM. Needed to turn a function body's
 * {@code node:output_arg:index} references into flat output indices, and to know which ops are stateful.
 */
public final class OpDefRegistry {
  private static volatile Map<String, OpDef> opDefs;

  private OpDefRegistry() {}

  public static OpDef find(String op) {
    return all().get(op);
  }

  /** Whether the op may not be evaluated ahead of time (random numbers, variables, I/O). */
  public static boolean isStateful(String op) {
    OpDef def = find(op);
    return def == null || def.getIsStateful();
  }

  /**
   * The flat output index of {@code outputArg}[{@code index}] of a node, given the sizes of its list-valued output
   * arguments (from the node's attributes).
   */
  public static int flatOutputIndex(OpDef def, NodeDef node, String outputArg, int index) {
    int offset = 0;
    for (OpDef.ArgDef arg : def.getOutputArgList()) {
      if (arg.getName().equals(outputArg)) {
        return offset + index;
      }
      offset += outputCount(arg, node);
    }
    throw new IllegalArgumentException("op " + def.getName() + " has no output argument '" + outputArg + "'");
  }

  /** How many data inputs the node must have for its op, or -1 when its attributes do not say. */
  public static int expectedInputCount(OpDef def, NodeDef node) {
    int count = 0;
    for (OpDef.ArgDef arg : def.getInputArgList()) {
      if (!arg.getNumberAttr().isEmpty() && !node.containsAttr(arg.getNumberAttr())) {
        return -1;
      }
      if (!arg.getTypeListAttr().isEmpty() && !node.containsAttr(arg.getTypeListAttr())) {
        return -1;
      }
      count += outputCount(arg, node);
    }
    return count;
  }

  private static int outputCount(OpDef.ArgDef arg, NodeDef node) {
    if (!arg.getNumberAttr().isEmpty()) {
      return (int) node.getAttrOrDefault(arg.getNumberAttr(), AttrValue.getDefaultInstance()).getI();
    }
    if (!arg.getTypeListAttr().isEmpty()) {
      return node.getAttrOrDefault(arg.getTypeListAttr(), AttrValue.getDefaultInstance()).getList().getTypeCount();
    }
    return 1;
  }

  private static Map<String, OpDef> all() {
    Map<String, OpDef> result = opDefs;
    if (result == null) {
      synchronized (OpDefRegistry.class) {
        result = opDefs;
        if (result == null) {
          // loads the native runtime (once per JVM), then asks it for every registered op
          TF_Buffer buffer = TensorFlowTime.measure(() -> {
            TensorFlow.version();
            return tensorflow.TF_GetAllOpList();
          });
          try {
            OpList list = OpList.parseFrom(buffer.dataAsByteBuffer());
            result = new HashMap<>();
            for (OpDef def : list.getOpList()) {
              result.put(def.getName(), def);
            }
            opDefs = result;
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("TensorFlow returned an unreadable op list", e);
          } finally {
            tensorflow.TF_DeleteBuffer(buffer);
          }
        }
      }
    }
    return result;
  }
}
