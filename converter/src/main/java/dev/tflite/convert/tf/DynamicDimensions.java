package dev.tflite.convert.tf;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeDef;

/**
 * Keeps unknown input dimensions (usually the batch) dynamic in the converted model: shapes are inferred a second time
 * with those dimensions at 2, and every tensor dimension that changes follows them (shape signature -1). A shape folded
 * at batch 1 that only feeds a reshape's target stays folded (the converter writes that target with -1: one op where
 * the official converter keeps SHAPE, STRIDED_SLICE and PACK). A shape feeding anything else (a FILL, a BROADCAST_TO, a
 * RANGE) is computed at run time instead: its Shape/Size ops and the integer arithmetic after them stay in the model,
 * which then resizes; the graph folded at the concrete shapes goes along as {@link PreparedGraph#staticForm()} for when
 * an op cannot take a computed shape.
 */
final class DynamicDimensions {
  private static final long PROBE = 2;

  private DynamicDimensions() {}

  /**
   * {@code probeSource}: the graph to probe, {@code beforeFolding} itself unless the importer built the model at other
   * lengths of its open dimensions ({@link TfGraph#lengthProbe}); its unknown dimensions are probed at 2.
   */
  static PreparedGraph analyze(TfGraph beforeFolding, TfGraph probeSource, TfGraph runnable, Map<String, long[]> overrides, PreparedGraph prepared) {
    boolean anyUnknown = probeSource != beforeFolding || beforeFolding.inputs().stream().anyMatch(in -> anyTrue(InputShapes.openDims(in, overrides.get(in.name()))));
    if (!anyUnknown) {
      return prepared;
    }
    Map<TensorName, TensorInfo> probe;
    TfGraph probeGraph = InputShapes.apply(probeSource, overrides, PROBE);
    try {
      probe = ShapeInference.infer(probeGraph);
    } catch (RuntimeException e) {
      if (probeSource != beforeFolding) { // the importer's second build: quietly fixing its open lengths would hide them
        throw new dev.tflite.convert.ConversionException("the model's open dimensions (a sequence length, an image size) cannot stay open (" + e.getMessage()
            + "); set them with <inputShapes> (CLI --input-shape)", e);
      }
      return prepared; // the graph only works at its concrete shapes
    }
    Set<String> resizedShapeOps = resizedShapeOps(probeGraph, probe, prepared);
    if (foldedConstantsAreSafe(probeGraph, resizedShapeOps, prepared)) {
      return prepared.withDynamicDims(dynamicDims(beforeFolding, overrides, prepared, probe));
    }
    PreparedGraph atRunTime;
    try {
      atRunTime = ConstantFolding.apply(runnable, resizedShapeOps);
    } catch (RuntimeException e) {
      return prepared;
    }
    return atRunTime.withDynamicDims(dynamicDims(beforeFolding, overrides, atRunTime, probe)).withStaticForm(prepared);
  }

  private static boolean anyTrue(boolean[] values) {
    for (boolean v : values) {
      if (v) {
        return true;
      }
    }
    return false;
  }

  /** Which dimensions of each tensor differ between the concrete shapes and the probe's. */
  private static Map<TensorName, boolean[]> dynamicDims(TfGraph beforeFolding, Map<String, long[]> overrides, PreparedGraph prepared,
      Map<TensorName, TensorInfo> probe) {
    Map<TensorName, boolean[]> dynamic = new HashMap<>();
    prepared.tensors().forEach((name, info) -> {
      TensorInfo other = probe.get(name);
      if (info.shape() != null && other != null && other.shape() != null && other.shape().length == info.shape().length) {
        boolean[] d = new boolean[info.shape().length];
        boolean any = false;
        for (int i = 0; i < d.length; i++) {
          d[i] = info.shape()[i] != other.shape()[i];
          any |= d[i];
        }
        if (any) {
          dynamic.put(name, d);
        }
      }
    });
    for (SignatureTensor in : prepared.graph().inputs()) {
      SignatureTensor before = beforeFolding.inputs().stream().filter(i -> i.name().equals(in.name())).findFirst().orElse(null);
      long[] declared = before == null ? null : before.shape();
      if (declared != null) {
        boolean[] followed = dynamic.get(in.tensor()); // an open length the importer fixed differs in the probe
        boolean[] open = InputShapes.openDims(before, overrides.get(in.name()));
        boolean[] d = new boolean[declared.length];
        for (int i = 0; i < d.length; i++) {
          d[i] = open[i] || followed != null && followed.length == d.length && followed[i];
        }
        dynamic.put(in.tensor(), d);
      }
    }
    return dynamic;
  }

  /** Shape/Size/ShapeN nodes whose input's shape changes with the dynamic dimensions (Rank never does). */
  private static Set<String> resizedShapeOps(TfGraph probeGraph, Map<TensorName, TensorInfo> probe, PreparedGraph prepared) {
    Set<String> result = new HashSet<>();
    for (NodeDef n : probeGraph.nodes()) {
      if (Set.of("Shape", "Size", "ShapeN").contains(n.getOp())) {
        TensorInfo info = probe.get(TfGraph.dataInputs(n).get(0));
        TensorInfo atOne = prepared.tensors().get(TfGraph.dataInputs(n).get(0));
        if (info == null || atOne == null || !Arrays.equals(info.shape(), atOne.shape())) {
          result.add(n.getName());
        }
      }
    }
    return result;
  }

  /**
   * Constants folded from Shape/Size/Rank of a dynamic tensor hold batch-1 values; they are safe only as a reshape's
   * target shape, which legalization rewrites with -1.
   */
  private static boolean foldedConstantsAreSafe(TfGraph probeGraph, Set<String> resizedShapeOps, PreparedGraph prepared) {
    Map<String, List<String>> consumers = new HashMap<>();
    for (NodeDef n : probeGraph.nodes()) {
      for (TensorName in : TfGraph.dataInputs(n)) {
        consumers.computeIfAbsent(in.node(), k -> new java.util.ArrayList<>()).add(n.getName());
      }
    }
    Deque<String> work = new ArrayDeque<>(resizedShapeOps);
    Set<String> dependent = new HashSet<>();
    while (!work.isEmpty()) {
      String node = work.poll();
      if (dependent.add(node)) {
        work.addAll(consumers.getOrDefault(node, List.of()));
      }
    }
    for (NodeDef n : prepared.graph().nodes()) {
      List<TensorName> inputs = TfGraph.dataInputs(n);
      for (int i = 0; i < inputs.size(); i++) {
        NodeDef producer = prepared.graph().producer(inputs.get(i));
        String original = producer == null ? "" : producer.getName().replaceFirst("/output_\\d+$", "");
        boolean batchDependentConstant = producer != null && producer.getOp().equals("Const") && dependent.contains(original);
        if (batchDependentConstant && !(n.getOp().equals("Reshape") && i == 1)) {
          return false;
        }
      }
    }
    return true;
  }
}
