package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.RNet;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;

/**
 * An unknown batch dimension stays dynamic (shape signature -1) and the model works after resizing: validation runs
 * batch 1 and batch 4, so the classic "output stays batch 1" bug cannot ship.
 */
class DynamicBatchTest {
  @TempDir
  Path dir;

  private static TensorT input(Path tflite) {
    ModelT m = Tflite.read(tflite);
    return m.getSubgraphs()[0].getTensors()[m.getSubgraphs()[0].getInputs()[0]];
  }

  /** {@code tolerance} null: no limit, the caller asserts with {@link FloatBound}. */
  private ValidationReport validateAtBatches(Path source, Path tflite, Double tolerance, double min, double max) {
    return new ModelValidator().validate(new ValidationRequest("m", source, "m", List.of("serve"), tflite, "x", 8, 5, min, max,
        new Tolerance(tolerance, null, null, null)), new ValidationOptions(null, Map.of(), null, null, List.of(1, 4)));
  }

  @Test
  void rnetKeepsItsBatchDynamicThroughFlatten() {
    Path rnet = RNet.export(dir.resolve("rnet"));
    for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.INT8)) {
      Path tflite = dir.resolve("rnet-" + mode.configName() + ".tflite");
      Tflite.convert(dev.tflite.convert.ConversionRequest.of("rnet", rnet, mode, tflite).withQuantization(mode,
          dev.tflite.convert.quantize.QuantizationOptions.defaults().withCalibration(
              new dev.tflite.convert.quantize.calibrate.CalibrationSettings(null, 32, 1, -1, 1))));
      assertArrayEquals(new int[] {-1, 24, 24, 3}, input(tflite).getShapeSignature(), mode + " input shape signature");
      boolean floatMode = mode == QuantizationMode.NONE;
      ValidationReport report = validateAtBatches(rnet, tflite, floatMode ? null : 0.1, -1, 1);
      if (floatMode) {
        FloatBound.assertMatches(report, tflite, mode + " at batch 1 and 4");
      } else {
        assertTrue(report.passed(), mode + " at batch 1 and 4: " + report.worstMaxAbsError());
      }
      assertEquals(List.of(1, 4), report.batchSizes());
    }
  }

  @Test
  void kerasSavedModelBatchIsDynamic() {
    Path mlp = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path tflite = dir.resolve("mlp.tflite");
    Tflite.convert(mlp, QuantizationMode.NONE, tflite);
    assertArrayEquals(new int[] {-1, 784}, input(tflite).getShapeSignature());
    FloatBound.assertMatches(validateAtBatches(mlp, tflite, null, 0, 1), tflite, "Keras MLP at batch 1 and 4");
  }

  @Test
  void aShapeFeedingMoreThanAReshapeIsComputedAtRunTime() {
    // concat([x, zeros([batch, 2])]): the zeros' shape follows the batch, so SHAPE → STRIDED_SLICE → PACK → FILL stay ops
    Path model = SingleOpModels.export(dir.resolve("fill"), 1, new long[] {-1, 3}, (tf, x, w) -> {
      var zeros = tf.fill(tf.stack(List.of(ConformanceRows.batch(tf, x), tf.constant(2))), tf.constant(0f));
      return tf.concat(List.of(x, zeros), tf.constant(1));
    });
    Path tflite = dir.resolve("fill.tflite");
    Tflite.convert(model, QuantizationMode.NONE, tflite);
    assertArrayEquals(new int[] {-1, 3}, input(tflite).getShapeSignature());
    assertEquals(1, Tflite.opCounts(tflite).get("SHAPE"), Tflite.opCounts(tflite).toString());
    FloatBound.assertMatches(validateAtBatches(model, tflite, null, 0, 1), tflite, "zeros [batch, 2] at batch 1 and 4");
  }

  @Test
  void aBatchDependentRangeIsComputedAtRunTime() {
    // concat([x, reshape(float(range(2 * batch)), [batch, 2])]): RANGE's limit follows the batch, so it stays an op
    // (before Range took run-time operands this model was folded at batch 1 and written static)
    Path model = SingleOpModels.export(dir.resolve("range"), 1, new long[] {-1, 3}, (tf, x, w) -> {
      var batch = ConformanceRows.batch(tf, x);
      var ids = tf.dtypes.cast(tf.range(tf.constant(0), tf.math.mul(batch, tf.constant(2)), tf.constant(1)), org.tensorflow.types.TFloat32.class);
      return tf.concat(List.of(x, tf.reshape(ids, tf.stack(List.of(batch, tf.constant(2))))), tf.constant(1));
    });
    Path tflite = dir.resolve("range.tflite");
    Tflite.convert(model, QuantizationMode.NONE, tflite);
    assertArrayEquals(new int[] {-1, 3}, input(tflite).getShapeSignature());
    assertEquals(1, Tflite.opCounts(tflite).get("RANGE"), Tflite.opCounts(tflite).toString());
    FloatBound.assertMatches(validateAtBatches(model, tflite, null, 0, 1), tflite, "range over the batch at batch 1 and 4");
  }

  @Test
  void aShapeAnOpCannotTakeAtRunTimeKeepsTheModelStatic() {
    // Slice takes its size as a constant only: with the size following the batch the model is written at batch 1
    Path model = SingleOpModels.export(dir.resolve("slice"), 1, new long[] {-1, 3}, (tf, x, w) ->
        tf.slice(x, tf.constant(new int[] {0, 0}), tf.stack(List.of(ConformanceRows.batch(tf, x), tf.constant(2)))));
    Path tflite = dir.resolve("slice.tflite");
    Tflite.convert(model, QuantizationMode.NONE, tflite);
    int[] signature = input(tflite).getShapeSignature();
    assertTrue(signature == null || java.util.Arrays.stream(signature).noneMatch(d -> d < 0), "static: no -1 in the shape signature");
    assertEquals(null, Tflite.opCounts(tflite).get("SHAPE"), Tflite.opCounts(tflite).toString());
    assertTrue(Tflite.validate(model, tflite, new Tolerance(1e-6, null, null, null), 0, 1).passed());
  }

  @Test
  void threeDimensionalPoolsAndConvolutionsKeepTheBatchDynamic() {
    // the 3-D pools fold the batch into the plane batch (N*D): their reshapes write -1 there, so batch 4 must still work
    Path model = SingleOpModels.export(dir.resolve("volume"), 3, new long[] {-1, 5, 7, 8, 3}, (tf, x, w) -> tf.nn.maxPool3d(
        tf.nn.avgPool3d(tf.nn.conv3d(x, tf.constantOf(w.uniform(0.5, 2, 3, 3, 3, 4)), List.of(1L, 1L, 1L, 1L, 1L), "SAME"),
            List.of(1L, 3L, 3L, 3L, 1L), List.of(1L, 2L, 2L, 2L, 1L), "SAME"), List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 1L, 1L, 1L, 1L), "VALID"));
    Path tflite = dir.resolve("volume.tflite");
    Tflite.convert(model, QuantizationMode.NONE, tflite);
    assertArrayEquals(new int[] {-1, 5, 7, 8, 3}, input(tflite).getShapeSignature());
    ValidationReport report = validateAtBatches(model, tflite, null, -1, 1);
    FloatBound.assertMatches(report, tflite, "Conv3D, AvgPool3D, MaxPool3D at batch 1 and 4");
    assertEquals(List.of(1, 4), report.batchSizes());
  }

  @Test
  void aLegalizationThatIgnoresARunTimeShapeFallsBackToFixedShapes() {
    // a Fill rule that writes the dims inferred at batch 1 instead of reading them leaves SHAPE unread: the file would
    // be wrong once resized, so the converter writes it at its concrete shapes
    var registry = new dev.tflite.convert.legalize.LegalizationRegistry();
    dev.tflite.convert.legalize.LegalizationRegistry.standard().all().forEach((op, rule) -> {
      if (!op.equals("Fill")) {
        registry.register(op, rule);
      }
    });
    registry.register("Fill", ctx -> ctx.emit(dev.tflite.convert.ir.OpType.FILL, List.of(ctx.constant("dims",
        dev.tflite.convert.ir.ConstantLayouts.int32Vector(ctx.outputShape(0))), ctx.input(1)), ctx.output(0), new dev.tflite.convert.ir.OpOptions.None()));
    Path model = SingleOpModels.export(dir.resolve("fill"), 1, new long[] {-1, 3}, (tf, x, w) ->
        tf.concat(List.of(x, tf.fill(tf.stack(List.of(ConformanceRows.batch(tf, x), tf.constant(2))), tf.constant(0f))), tf.constant(1)));
    Path tflite = dir.resolve("fill.tflite");
    new dev.tflite.convert.TfliteConverter(registry).convert(dev.tflite.convert.ConversionRequest.of("fill", model, QuantizationMode.NONE, tflite));
    int[] signature = input(tflite).getShapeSignature();
    assertTrue(signature == null || java.util.Arrays.stream(signature).noneMatch(d -> d < 0), "static: no -1 in the shape signature");
    assertTrue(Tflite.validate(model, tflite, new Tolerance(1e-6, null, null, null), 0, 1).passed());
  }
}
