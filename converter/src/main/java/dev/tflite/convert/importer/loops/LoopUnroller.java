package dev.tflite.convert.importer.loops;

import dev.tflite.convert.importer.loops.LoopValue.Tensor;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.InputShapes;
import dev.tflite.convert.tf.ShapeInference;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorInfo;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.NodeDef;

/**
 * Unrolls the loops of an imported graph so only builtin-convertible ops remain: TF2 functional {@code While} /
 * {@code StatelessWhile} (Keras recurrent layers exported as SavedModels, {@code tf.while_loop}, {@code tf.scan}) and
 * TF1 while-loop frames ({@code dynamic_rnn}), with their TensorList / TensorArray ops turned into Unpack, Pack and
 * plain tensor reads. The trip count must be known from the graph and the input shapes ({@code <inputShapes>} fixes an
 * open sequence length); the batch may stay open. Runs on the imported graph before variables are frozen, so a
 * variable read in the loop body becomes one constant shared by every iteration.
 */
public final class LoopUnroller {
  private static final Set<String> LOOP_OPS = Set.of("While", "StatelessWhile", "Enter");

  private LoopUnroller() {}

  /** The unrolled nodes and, for each tensor that was a loop's output, the tensor that holds its value now. */
  public record Unrolled(List<NodeDef> nodes, Map<String, String> replaced) {
    public TensorName resolve(TensorName tensor) {
      String r = replaced.get(tensor.toString());
      return r == null ? tensor : TensorName.parse(r);
    }
  }

  /** The model's inputs with their open dimensions, and the setting that fixes them (batch 1, 50 steps as the example). */
  private static String inputShapesHint(TfGraph graph) {
    StringBuilder declared = new StringBuilder();
    String example = null;
    for (SignatureTensor in : graph.inputs()) {
      long[] shape = in.shape();
      declared.append(declared.length() == 0 ? "" : ", ").append(in.name()).append(' ').append(shape == null ? "unknown rank" : Arrays.toString(shape));
      if (example == null && shape != null && Arrays.stream(shape).anyMatch(d -> d < 0)) {
        long[] fixed = shape.clone();
        for (int i = 0; i < fixed.length; i++) {
          fixed[i] = fixed[i] >= 0 ? fixed[i] : i == 0 ? 1 : 50;
        }
        String dims = Arrays.stream(fixed).mapToObj(Long::toString).collect(Collectors.joining(","));
        example = "<inputShapes><" + in.name() + ">" + dims + "</" + in.name() + "></inputShapes>, on the command line --input-shape "
            + in.name() + "=" + dims;
      }
    }
    return "inputs: " + declared + (example == null ? "" : "; e.g. " + example);
  }

  public static boolean hasLoops(List<NodeDef> nodes) {
    return nodes.stream().anyMatch(n -> LOOP_OPS.contains(n.getOp()) || TensorListOps.isListOp(n.getOp()));
  }

  /**
   * @param graph the imported graph (its nodes, signature inputs with declared shapes, outputs)
   * @param library the function library loop conditions and bodies live in
   * @param inputShapes the user's {@code <inputShapes>}: the sequence length an open input dimension has
   */
  public static Unrolled unroll(TfGraph graph, FunctionDefLibrary library, Map<String, long[]> inputShapes) {
    TfGraph shaped = InputShapes.apply(graph, inputShapes, -1);
    Map<String, long[]> shapes = new HashMap<>();
    Map<TensorName, TensorInfo> infos;
    try {
      infos = ShapeInference.infer(shaped, library);
    } catch (ConversionException e) {
      throw new ConversionException("cannot infer the shapes around its loops: " + e.getMessage(), e);
    }
    infos.forEach((t, info) -> {
      if (info.shape() != null) {
        shapes.put(t.toString(), info.shape());
      }
    });
    LoopEvaluator evaluator = new LoopEvaluator(inputShapesHint(shaped), library, shapes);
    try {
      evaluator.run(new ArrayList<>(shaped.nodes()), true);
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) { // a malformed loop (missing attribute, wrong arity): say so rather than crash
      throw new ConversionException("cannot unroll the graph's loops, the graph is malformed: " + e, e);
    }
    Map<String, String> replaced = new HashMap<>();
    for (SignatureTensor out : graph.outputs()) {
      LoopValue v = evaluator.value(out.tensor().toString());
      if (!(v instanceof Tensor t)) {
        throw new ConversionException("output '" + out.name() + "' is a tensor list, not a tensor; return a tensor (e.g. stack the list)");
      }
      if (!t.ref().equals(out.tensor().toString())) {
        replaced.put(out.tensor().toString(), t.ref());
      }
    }
    return new Unrolled(evaluator.emitted(), replaced);
  }
}
