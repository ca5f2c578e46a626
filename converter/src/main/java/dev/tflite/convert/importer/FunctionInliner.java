package dev.tflite.convert.importer;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.OpDefRegistry;
import dev.tflite.convert.tf.TensorName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Inlines calls into the function library ({@code StatefulPartitionedCall}, {@code PartitionedCall}, or a node
 * whose op is a function name), recursively, so a TF2 SavedModel becomes one flat graph. Nodes of a call named
 * {@code c} are renamed {@code c/<node>}; the call's outputs become aliases of the tensors its function returns.
 */
public final class FunctionInliner {
  private final Map<String, FunctionDef> functions = new HashMap<>();
  private final List<NodeDef> result = new ArrayList<>();
  /** "call:i" -> the tensor it stands for, before alias resolution. */
  private final Map<String, String> aliases = new HashMap<>();

  private FunctionInliner(FunctionDefLibrary library) {
    for (FunctionDef f : library.getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
  }

  /** Returns the flat node list and fills {@code tensorAliases} with "call:i" -> "inlined/node:j" entries. */
  public static List<NodeDef> inline(List<NodeDef> nodes, FunctionDefLibrary library, Map<String, String> tensorAliases) {
    FunctionInliner inliner = new FunctionInliner(library);
    for (NodeDef node : nodes) {
      inliner.add(node, 0);
    }
    List<NodeDef> resolved = new ArrayList<>(inliner.result.size());
    for (NodeDef node : inliner.result) {
      NodeDef.Builder b = node.toBuilder().clearInput();
      for (String in : node.getInputList()) {
        if (TensorName.isControl(in)) {
          continue; // control edges carry no data in an inference graph
        }
        b.addInput(inliner.resolve(TensorName.parse(in).toString()));
      }
      resolved.add(b.build());
    }
    for (String key : inliner.aliases.keySet()) {
      tensorAliases.put(key, inliner.resolve(key));
    }
    return resolved;
  }

  /** Follows aliases until a real node output is reached. */
  private String resolve(String tensor) {
    String current = tensor;
    for (int hops = 0; aliases.containsKey(current); hops++) {
      if (hops > 10_000) {
        throw new ConversionException("function outputs refer to each other in a loop at '" + tensor + "'");
      }
      current = aliases.get(current);
    }
    return current;
  }

  private void add(NodeDef node, int depth) {
    FunctionDef function = calledFunction(node);
    if (function == null) {
      result.add(node);
      return;
    }
    if (depth > 64) {
      throw new ConversionException("function calls nest deeper than 64 levels at node '" + node.getName() + "' (recursive functions are not supported)");
    }
    inlineCall(node, function, depth);
  }

  private FunctionDef calledFunction(NodeDef node) {
    String op = node.getOp();
    if (op.equals("StatefulPartitionedCall") || op.equals("PartitionedCall")) {
      String name = node.getAttrOrThrow("f").getFunc().getName();
      FunctionDef f = functions.get(name);
      if (f == null) {
        throw new ConversionException("node '" + node.getName() + "' calls function '" + name + "', which is missing from the SavedModel's function library");
      }
      return f;
    }
    return functions.get(op);
  }

  private void inlineCall(NodeDef call, FunctionDef function, int depth) {
    String prefix = call.getName() + "/";
    OpDef signature = function.getSignature();
    List<String> callInputs = new ArrayList<>();
    for (String in : call.getInputList()) {
      if (!TensorName.isControl(in)) {
        callInputs.add(TensorName.parse(in).toString());
      }
    }
    if (callInputs.size() != signature.getInputArgCount()) {
      throw new ConversionException("node '" + call.getName() + "' passes " + callInputs.size() + " inputs to function '"
          + signature.getName() + "', which takes " + signature.getInputArgCount());
    }
    Map<String, String> arguments = new HashMap<>();
    for (int i = 0; i < callInputs.size(); i++) {
      arguments.put(signature.getInputArg(i).getName(), callInputs.get(i));
    }
    Map<String, NodeDef> bodyByName = new HashMap<>();
    for (NodeDef n : function.getNodeDefList()) {
      bodyByName.put(n.getName(), n);
    }
    for (NodeDef n : function.getNodeDefList()) {
      NodeDef.Builder renamed = withDefaultAttrs(n).toBuilder().setName(prefix + n.getName()).clearInput();
      for (String in : n.getInputList()) {
        if (TensorName.isControl(in)) {
          continue;
        }
        renamed.addInput(bodyReference(in, arguments, bodyByName, prefix, signature.getName()));
      }
      add(renamed.build(), depth + 1);
    }
    for (int i = 0; i < signature.getOutputArgCount(); i++) {
      String outName = signature.getOutputArg(i).getName();
      String ret = function.getRetOrThrow(outName);
      aliases.put(call.getName() + ":" + i, bodyReference(ret, arguments, bodyByName, prefix, signature.getName()));
    }
  }

  /**
   * Function bodies are stored with attributes at their default value left out (a graph's nodes carry them all); the
   * passes after inlining read attributes as a graph node has them, so the defaults are filled in from the op's
   * definition.
   */
  private NodeDef withDefaultAttrs(NodeDef node) {
    OpDef def = functions.containsKey(node.getOp()) ? null : OpDefRegistry.find(node.getOp());
    if (def == null) {
      return node;
    }
    NodeDef.Builder b = null;
    for (OpDef.AttrDef attr : def.getAttrList()) {
      if (attr.hasDefaultValue() && !node.containsAttr(attr.getName())) {
        b = b == null ? node.toBuilder() : b;
        b.putAttr(attr.getName(), attr.getDefaultValue());
      }
    }
    return b == null ? node : b.build();
  }

  /** Maps a reference inside a function body ("arg" or "node:out_arg:i") to a flat graph tensor. */
  private String bodyReference(String ref, Map<String, String> arguments, Map<String, NodeDef> body, String prefix, String function) {
    String[] parts = ref.split(":");
    if (parts.length == 1) {
      String arg = arguments.get(ref);
      if (arg == null) {
        throw new ConversionException("function '" + function + "' reads '" + ref + "', which is neither an argument nor a node output");
      }
      return arg;
    }
    NodeDef producer = body.get(parts[0]);
    if (producer == null) {
      throw new ConversionException("function '" + function + "' reads '" + ref + "' from a node it does not define");
    }
    int index = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
    OpDef def = opDefOf(producer);
    int flat = OpDefRegistry.flatOutputIndex(def, producer, parts[1], index);
    return prefix + producer.getName() + ":" + flat;
  }

  private OpDef opDefOf(NodeDef node) {
    FunctionDef f = functions.get(node.getOp());
    if (f != null) {
      return f.getSignature();
    }
    OpDef def = OpDefRegistry.find(node.getOp());
    if (def == null) {
      throw new ConversionException("node '" + node.getName() + "' uses op '" + node.getOp() + "', which this TensorFlow runtime does not know (a custom op?)");
    }
    return def;
  }
}
