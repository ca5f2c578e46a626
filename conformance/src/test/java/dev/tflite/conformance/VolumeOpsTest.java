package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.SingleOpModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumetric graphs beyond the conformance rows: a dilated Conv3D reaches TensorFlow (validation's reference) in its
 * SpaceToBatchND form, which every CPU kernel runs (the plain Conv3D CPU kernel refuses dilations), and graphs
 * TensorFlow Lite has no builtins for fail with a message naming the node and why, writing no file.
 */
class VolumeOpsTest {
  @Test
  void aThreeDimensionalSpaceToBatchOutsideADilatedConv3dIsRefusedNamingTheNode(@TempDir Path dir) {
    Path model = SingleOpModels.export(dir.resolve("model"), 3, new long[] {1, 4, 6, 6, 2}, (tf, x, w) -> tf.batchToSpaceNd(
        tf.nn.relu(tf.spaceToBatchNd(x, tf.constant(new int[] {1, 2, 2}), tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}}))),
        tf.constant(new int[] {1, 2, 2}), tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}})));
    Path tflite = dir.resolve("volume.tflite");
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(model, QuantizationMode.NONE, tflite));
    assertTrue(e.getMessage().contains("SpaceToBatchND over 3 spatial dimensions") && e.getMessage().contains("4-D inputs"), e.getMessage());
    assertTrue(!java.nio.file.Files.exists(tflite), "no partial file");
  }

  @Test
  void aDilatedConv3dReachesTensorFlowInItsSpaceToBatchForm(@TempDir Path dir) throws Exception {
    Path model = SingleOpModels.export(dir.resolve("model"), 3, new long[] {1, 5, 7, 8, 3}, (tf, x, w) -> tf.nn.conv3d(x,
        tf.constantOf(w.uniform(0.5, 2, 3, 3, 3, 4)), java.util.List.of(1L, 1L, 1L, 1L, 1L), "SAME",
        org.tensorflow.op.nn.Conv3d.dilations(java.util.List.of(1L, 1L, 2L, 2L, 1L))));
    Path work = dir.resolve("work");
    Tflite.convert(model, QuantizationMode.NONE, dir.resolve("dilated.tflite"), work);
    org.tensorflow.proto.GraphDef frozen;
    try (var files = java.nio.file.Files.walk(work)) {
      Path pb = files.filter(f -> f.toString().endsWith(".frozen.pb")).findFirst().orElseThrow();
      frozen = org.tensorflow.proto.GraphDef.parseFrom(java.nio.file.Files.readAllBytes(pb));
    }
    java.util.Set<String> ops = new java.util.TreeSet<>();
    frozen.getNodeList().forEach(n -> ops.add(n.getOp()));
    assertTrue(ops.containsAll(java.util.Set.of("SpaceToBatchND", "Conv3D", "BatchToSpaceND")), ops.toString());
    frozen.getNodeList().stream().filter(n -> n.getOp().equals("Conv3D")).forEach(n -> assertTrue(
        n.getAttrOrThrow("dilations").getList().getIList().stream().allMatch(v -> v == 1), "the Conv3D TensorFlow runs is undilated: " + n));
    assertTrue(Tflite.opCounts(dir.resolve("dilated.tflite")).equals(java.util.Map.of("CONV_3D", 1)), "one dilated CONV_3D in the file");
  }
}
