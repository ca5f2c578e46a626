package dev.tflite.convert.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.VersionDef;

class TfGraphTest {
  private static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  private static TfGraph graph(NodeDef... nodes) {
    return new TfGraph("serving_default", VersionDef.getDefaultInstance(), List.of(nodes), List.of(), List.of());
  }

  @Test
  void tensorReferencesAreNormalised() {
    assertEquals(new TensorName("a/b", 0), TensorName.parse("a/b"));
    assertEquals(new TensorName("a/b", 2), TensorName.parse("a/b:2"));
    assertEquals(new TensorName("ctrl", 0), TensorName.parse("^ctrl"));
    assertTrue(TensorName.isControl("^ctrl"));
  }

  @Test
  void ordersNodesAfterTheirInputsIgnoringControlEdges() {
    TfGraph g = graph(node("c", "Relu", "b", "^a"), node("b", "Relu", "a:0"), node("a", "Placeholder"));
    assertEquals(List.of("a", "b", "c"), g.topologicalOrder().stream().map(NodeDef::getName).toList());
  }

  @Test
  void cycleIsReportedWithItsNodes() {
    ConversionException e = assertThrows(ConversionException.class, () -> graph(node("x", "Relu", "y"), node("y", "Relu", "x")).topologicalOrder());
    assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("[x, y]"), e.getMessage());
  }

  @Test
  void danglingInputIsReported() {
    ConversionException e = assertThrows(ConversionException.class, () -> graph(node("x", "Relu", "ghost:1")).topologicalOrder());
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("ghost:1"), e.getMessage());
  }
}
