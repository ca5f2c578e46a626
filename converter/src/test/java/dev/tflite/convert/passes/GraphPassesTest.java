package dev.tflite.convert.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The graph passes on small IR graphs built in Java: each rewrite leaves the op census the official converter writes,
 * and the rewritten graph computes what the original did (a test evaluator runs both), and each guard keeps a graph the
 * rewrite would break.
 */
class GraphPassesTest {
  /** Runs the standard pipeline and checks the graph still computes the same values on three seeded samples. */
  private static void optimizeAndCompare(TestGraphs g) {
    float[][] samples = {g.sample(), g.sample(), g.sample()};
    float[][] before = new float[3][];
    for (int i = 0; i < 3; i++) {
      before[i] = GraphEvaluator.run(g.graph, samples[i]);
    }
    PassPipeline.standard().run(g.graph);
    for (int i = 0; i < 3; i++) {
      float[] after = GraphEvaluator.run(g.graph, samples[i]);
      assertEquals(before[i].length, after.length);
      double scale = 1;
      for (float v : before[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      // folding reorders float32 products and sums over a handful of terms: a few ulps, 1e-5 relative is ample
      for (int k = 0; k < after.length; k++) {
        assertEquals(before[i][k], after[k], 1e-5 * scale, "element " + k);
      }
    }
  }

  private static TestGraphs batchNormAfter(long seed, java.util.function.Function<TestGraphs, Tensor> affine) {
    TestGraphs g = new TestGraphs(seed);
    Tensor y = affine.apply(g);
    long channels = y.dim(-1);
    // Keras 2: Conv2D(use_bias=True) -> BiasAdd, then BatchNormalization as x * m + s, then ReLU
    Tensor biased = g.binary(OpType.ADD, y, g.constant(channels));
    Tensor scaled = g.binary(OpType.MUL, biased, g.positive(channels));
    Tensor shifted = g.binary(OpType.ADD, scaled, g.constant(channels));
    g.output(g.unary(OpType.RELU, shifted));
    return g;
  }

  /** Keras' tensordot Dense on a sequence: RESHAPE, FULLY_CONNECTED, RESHAPE back (its leading dimensions dynamic or not). */
  private static TestGraphs denseOnASequence(long seed, long[] back, boolean dynamic) {
    TestGraphs g = new TestGraphs(seed);
    Tensor x = g.input(2, 5, 6);
    Tensor rows = g.reshape(x, 10, 6);
    Tensor y = g.dense(rows, 4);
    Tensor out = g.reshape(y, back);
    if (dynamic) { // batch and an open sequence length: one -1 could not carry both
      x.setDynamicDims(new boolean[] {true, true, false});
      rows.setDynamicDims(new boolean[] {true, false});
      y.setDynamicDims(new boolean[] {true, false});
      out.setDynamicDims(new boolean[] {true, true, false});
    }
    g.output(out);
    return g;
  }

  @Test
  void aDenseOnASequenceIsOneFullyConnectedKeepingItsDimensions() {
    for (boolean dynamic : new boolean[] {false, true}) {
      TestGraphs g = denseOnASequence(11, new long[] {2, 5, 4}, dynamic);
      optimizeAndCompare(g);
      assertEquals(Map.of(OpType.FULLY_CONNECTED, 1), g.census(), "the official converter's op, dynamic " + dynamic);
      assertTrue(g.last().options(OpOptions.FullyConnected.class).keepNumDims());
      assertEquals(3, g.last().input(0).rank());
      assertTrue(FixedReshapes.in(g.graph).isEmpty());
    }
  }

  @Test
  void aReshapeToOtherLeadingDimensionsStays() {
    TestGraphs g = denseOnASequence(12, new long[] {5, 2, 4}, false);
    optimizeAndCompare(g);
    assertEquals(2, g.census().get(OpType.RESHAPE), g.census().toString());
    assertFalse(g.last().type() == OpType.FULLY_CONNECTED && g.last().options(OpOptions.FullyConnected.class).keepNumDims());
  }

  private static Tensor ints(TestGraphs g, long... values) {
    return g.graph.newConstant("ints", dev.tflite.convert.ir.ConstantLayouts.int32Vector(values), "s");
  }

  /** A time-major loop's output transposed back to batch-major around a fused sequence op: the pair is nothing. */
  @Test
  void aTransposeBackIsRemovedAndTwoOthersCompose() {
    TestGraphs back = new TestGraphs(21);
    Tensor timeMajor = back.op(OpType.TRANSPOSE, new OpOptions.Transpose(), new long[] {3, 2, 4}, back.input(2, 3, 4), ints(back, 1, 0, 2));
    back.output(back.unary(OpType.TANH, back.op(OpType.TRANSPOSE, new OpOptions.Transpose(), new long[] {2, 3, 4}, timeMajor, ints(back, 1, 0, 2))));
    optimizeAndCompare(back);
    assertEquals(Map.of(OpType.TANH, 1), back.census());

    TestGraphs other = new TestGraphs(22);
    Tensor first = other.op(OpType.TRANSPOSE, new OpOptions.Transpose(), new long[] {3, 2, 4}, other.input(2, 3, 4), ints(other, 1, 0, 2));
    other.output(other.op(OpType.TRANSPOSE, new OpOptions.Transpose(), new long[] {3, 4, 2}, first, ints(other, 0, 2, 1)));
    optimizeAndCompare(other);
    assertEquals(Map.of(OpType.TRANSPOSE, 1), other.census());
    assertArrayEquals(new int[] {1, 2, 0}, other.last().input(1).data().ints());
  }

  /** Keras' outputs[-1] of a list of step outputs: the slice reads the last step itself; a partial slice stays. */
  @Test
  void aSliceTakingOnePackedElementReadsIt() {
    TestGraphs g = new TestGraphs(23);
    Tensor x = g.input(2, 3);
    Tensor packed = g.op(OpType.PACK, new OpOptions.Pack(2, 0), new long[] {2, 2, 3}, g.unary(OpType.TANH, x), g.unary(OpType.NEG, x));
    g.output(g.op(OpType.STRIDED_SLICE, new OpOptions.StridedSlice(0, 0, 1), new long[] {2, 3}, packed, ints(g, -1), ints(g, 0), ints(g, 1)));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.NEG, 1), g.census(), "the last element is the NEG; the TANH is read by nothing any more");

    TestGraphs partial = new TestGraphs(24);
    Tensor y = partial.input(2, 3);
    Tensor stacked = partial.op(OpType.PACK, new OpOptions.Pack(2, 1), new long[] {2, 2, 3}, partial.unary(OpType.TANH, y), partial.unary(OpType.NEG, y));
    partial.output(partial.op(OpType.STRIDED_SLICE, new OpOptions.StridedSlice(5, 1, 2), new long[] {2, 2}, stacked, ints(partial, 0, 1, 0),
        ints(partial, 0, 2, 2), ints(partial, 1, 1, 1)));
    optimizeAndCompare(partial);
    assertEquals(1, partial.census().get(OpType.STRIDED_SLICE), "two of three features: not one packed element");
  }

  /** A loop's x[:, t, :] for every t, stacked again as a fused op's input, is x; stacked out of order it stays. */
  @Test
  void aPackOfEverySliceInOrderIsTheSlicedTensor() {
    for (boolean inOrder : new boolean[] {true, false}) {
      TestGraphs g = new TestGraphs(25);
      Tensor x = g.input(2, 3, 4);
      Tensor[] steps = new Tensor[3];
      for (int t = 0; t < 3; t++) {
        int at = inOrder ? t : 2 - t;
        steps[t] = g.op(OpType.STRIDED_SLICE, new OpOptions.StridedSlice(5, 5, 2), new long[] {2, 4}, x, ints(g, 0, at, 0), ints(g, 0, at + 1, 0),
            ints(g, 1, 1, 1));
      }
      g.output(g.unary(OpType.TANH, g.op(OpType.PACK, new OpOptions.Pack(3, 1), new long[] {2, 3, 4}, steps)));
      optimizeAndCompare(g);
      assertEquals(inOrder ? Map.of(OpType.TANH, 1) : Map.of(OpType.STRIDED_SLICE, 3, OpType.PACK, 1, OpType.TANH, 1), g.census());
    }
  }

  @Test
  void batchNormAfterAConvWithItsOwnBiasFoldsIntoOneConvWithFusedRelu() {
    TestGraphs g = batchNormAfter(1, t -> t.conv(t.input(1, 3, 3, 4), 5));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.CONV_2D, 1), g.census());
    assertEquals(Activation.RELU, g.last().options(OpOptions.Conv2D.class).activation());
  }

  @Test
  void batchNormFoldsIntoDepthwiseAndFullyConnectedToo() {
    TestGraphs dw = batchNormAfter(2, t -> t.depthwise(t.input(1, 3, 3, 4)));
    optimizeAndCompare(dw);
    assertEquals(Map.of(OpType.DEPTHWISE_CONV_2D, 1), dw.census());
    TestGraphs fc = batchNormAfter(3, t -> t.dense(t.input(2, 6), 3));
    optimizeAndCompare(fc);
    assertEquals(Map.of(OpType.FULLY_CONNECTED, 1), fc.census());
  }

  @Test
  void aTransposeConvWithoutABiasGetsOneFromTheBatchNormShift() {
    TestGraphs g = new TestGraphs(4);
    Tensor x = g.input(1, 2, 2, 3);
    Tensor outputShape = g.graph.newConstant("output_shape", dev.tflite.convert.ir.ConstantLayouts.int32Vector(1, 2, 2, 4), "s");
    Tensor t = g.op(OpType.TRANSPOSE_CONV, new OpOptions.TransposeConv(OpOptions.Padding.VALID, 1, 1), new long[] {1, 2, 2, 4}, outputShape,
        g.constant(4, 1, 1, 3), x);
    g.output(g.binary(OpType.ADD, g.binary(OpType.MUL, t, g.positive(4)), g.constant(4)));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.TRANSPOSE_CONV, 1), g.census());
    assertEquals(4, g.last().inputs().size(), "bias written as the fourth input (TRANSPOSE_CONV version 3)");
  }

  @Test
  void constantSubAndDivFoldWhenTheConvIsTheLeftOperandOnly() {
    TestGraphs g = new TestGraphs(5);
    Tensor y = g.conv(g.input(1, 2, 2, 3), 4);
    g.output(g.binary(OpType.DIV, g.binary(OpType.SUB, y, g.constant(4)), g.positive(1)));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.CONV_2D, 1), g.census());

    TestGraphs reversed = new TestGraphs(6);
    Tensor z = reversed.conv(reversed.input(1, 2, 2, 3), 4);
    reversed.output(reversed.binary(OpType.DIV, reversed.positive(4), reversed.binary(OpType.SUB, reversed.constant(4), z)));
    optimizeAndCompare(reversed);
    assertEquals(Map.of(OpType.CONV_2D, 1, OpType.SUB, 1, OpType.DIV, 1), reversed.census(), "c - conv and c / conv are no affine maps of the weights");
  }

  @Test
  void nothingFoldsIntoAConvWhoseOutputHasAnotherReader() {
    TestGraphs g = new TestGraphs(7);
    Tensor y = g.conv(g.input(1, 2, 2, 3), 4);
    Tensor scaled = g.binary(OpType.MUL, y, g.positive(4));
    g.output(g.binary(OpType.ADD, scaled, y)); // y is read twice: scaling the weights would change the second read
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.CONV_2D, 1, OpType.MUL, 1, OpType.ADD, 1), g.census());
  }

  @Test
  void nothingFoldsPastAFusedActivationOrAcrossPixelsOrIntoABroadcast() {
    TestGraphs relu = new TestGraphs(8);
    Tensor y = relu.unary(OpType.RELU, relu.conv(relu.input(1, 2, 2, 3), 4));
    relu.output(relu.binary(OpType.MUL, y, relu.positive(4)));
    optimizeAndCompare(relu);
    assertEquals(Map.of(OpType.CONV_2D, 1, OpType.MUL, 1), relu.census(), "relu(conv) * c is not conv' (relu does not commute with a scale)");

    TestGraphs perPixel = new TestGraphs(9);
    Tensor p = perPixel.conv(perPixel.input(1, 2, 2, 3), 4);
    perPixel.output(perPixel.binary(OpType.MUL, p, perPixel.positive(1, 2, 2, 4)));
    optimizeAndCompare(perPixel);
    assertEquals(Map.of(OpType.CONV_2D, 1, OpType.MUL, 1), perPixel.census(), "a per-pixel constant is not a per-channel one");

    TestGraphs broadcast = new TestGraphs(10);
    Tensor b = broadcast.dense(broadcast.input(1, 6), 3);
    broadcast.output(broadcast.op(OpType.ADD, new OpOptions.Add(Activation.NONE), new long[] {4, 3}, b, broadcast.constant(4, 3)));
    optimizeAndCompare(broadcast);
    assertEquals(Map.of(OpType.FULLY_CONNECTED, 1, OpType.ADD, 1), broadcast.census(), "an add that broadcasts the output to [4, 3] stays");
  }

  @Test
  void clampActivationsFuseIntoEveryKernelThatAppliesThem() {
    for (OpType producer : new OpType[] {OpType.ADD, OpType.SUB, OpType.MUL, OpType.DIV}) {
      for (OpType activation : new OpType[] {OpType.RELU, OpType.RELU6, OpType.RELU_N1_TO_1}) {
        TestGraphs g = new TestGraphs(11);
        Tensor x = g.input(1, 2, 2, 3);
        // two activations, so nothing folds into weights: the residual Add + ReLU of a ResNet block
        Tensor sum = g.binary(producer, g.unary(OpType.NEG, x), g.unary(OpType.TANH, x));
        g.output(g.unary(activation, sum));
        optimizeAndCompare(g);
        assertEquals(Map.of(producer, 1, OpType.NEG, 1, OpType.TANH, 1), g.census(), producer + " + " + activation);
        assertEquals(activation.name(), ((OpOptions.WithActivation) g.last().options()).activation().name());
      }
    }
    for (OpType pool : new OpType[] {OpType.MAX_POOL_2D, OpType.AVERAGE_POOL_2D}) {
      TestGraphs g = new TestGraphs(12);
      Tensor pooled = g.op(pool, new OpOptions.Pool2D(OpOptions.Padding.VALID, 1, 1, 1, 1, Activation.NONE), new long[] {1, 2, 2, 3},
          g.input(1, 2, 2, 3));
      g.output(g.unary(OpType.RELU6, pooled));
      PassPipeline.standard().run(g.graph);
      assertEquals(Map.of(pool, 1), g.census());
      assertEquals(Activation.RELU6, g.last().options(OpOptions.Pool2D.class).activation());
    }
  }

  @Test
  void concatenationAndTanhAreNeverFused() {
    TestGraphs g = new TestGraphs(13);
    Tensor x = g.input(1, 2);
    Tensor concat = g.op(OpType.CONCATENATION, new OpOptions.Concatenation(1, Activation.NONE), new long[] {1, 4}, g.unary(OpType.NEG, x), x);
    g.output(g.unary(OpType.RELU, concat));
    PassPipeline.standard().run(g.graph);
    assertEquals(Map.of(OpType.CONCATENATION, 1, OpType.NEG, 1, OpType.RELU, 1), g.census(), "the concatenation kernel refuses fused activations");

    TestGraphs tanh = new TestGraphs(14);
    tanh.output(tanh.unary(OpType.TANH, tanh.conv(tanh.input(1, 2, 2, 3), 4)));
    optimizeAndCompare(tanh);
    assertEquals(Map.of(OpType.CONV_2D, 1, OpType.TANH, 1), tanh.census(), "float kernels only clamp: a fused TANH would be ignored");
  }

  @Test
  void anActivationIsNotFusedIntoAnOutputWithAnotherReader() {
    TestGraphs g = new TestGraphs(15);
    Tensor x = g.input(1, 4);
    Tensor sum = g.binary(OpType.ADD, g.unary(OpType.NEG, x), x);
    g.output(g.binary(OpType.MUL, g.unary(OpType.RELU, sum), sum));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.NEG, 1, OpType.ADD, 1, OpType.RELU, 1, OpType.MUL, 1), g.census());
  }

  @Test
  void squeezeAndReshapeChainsCollapseIntoOneReshapeOrNone() {
    TestGraphs g = new TestGraphs(16);
    Tensor x = g.input(1, 1, 6, 1);
    Tensor squeezed = g.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {1, 3}), new long[] {1, 6}, x);
    Tensor r = g.reshape(g.reshape(squeezed, 1, 2, 3), 1, 3, 2);
    g.output(g.unary(OpType.NEG, r));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.RESHAPE, 1, OpType.NEG, 1), g.census());
    assertSame(x, g.graph.operators().get(0).input(0), "one RESHAPE straight from the input");

    TestGraphs identity = new TestGraphs(17);
    Tensor in = identity.input(1, 6);
    identity.output(identity.unary(OpType.NEG, identity.reshape(identity.reshape(in, 1, 2, 3), 1, 6)));
    optimizeAndCompare(identity);
    assertEquals(Map.of(OpType.NEG, 1), identity.census(), "a reshape back to the input's own shape is no op at all");
  }

  @Test
  void anIdentityReshapeWritingAGraphOutputHandsItsNameToTheOpBefore() {
    TestGraphs g = new TestGraphs(18);
    Tensor neg = g.unary(OpType.NEG, g.input(1, 6));
    Tensor out = g.reshape(g.reshape(neg, 2, 3), 1, 6);
    g.output(out);
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.NEG, 1), g.census());
    assertSame(out, g.last().output(0), "the signature output keeps its tensor");
  }

  @Test
  void aSqueezeOfTwoDynamicDimensionsStaysASqueeze() {
    TestGraphs g = new TestGraphs(19);
    Tensor x = g.input(1, 1, 3, 1);
    x.setDynamicDims(new boolean[] {true, false, true, false});
    Tensor y = g.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {1, 3}), new long[] {1, 3}, x);
    y.setDynamicDims(new boolean[] {true, true});
    g.output(y);
    PassPipeline.standard().run(g.graph);
    assertEquals(Map.of(OpType.SQUEEZE, 1), g.census(), "a reshape target holds one -1 only");
  }

  @Test
  void aConv1dBiasAddAndReluBehindItsSqueezeReachTheConv() {
    // Keras Conv1D in TensorFlow: ExpandDims -> Conv2D -> Squeeze -> BiasAdd -> Relu
    TestGraphs g = new TestGraphs(20);
    Tensor x = g.input(1, 5, 3);
    Tensor conv = g.conv(g.reshape(x, 1, 1, 5, 3), 4);
    Tensor squeezed = g.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {1}), new long[] {1, 5, 4}, conv);
    Tensor biased = g.binary(OpType.ADD, squeezed, g.constant(4));
    Tensor relu = g.unary(OpType.RELU, biased);
    // a second Conv1D: its ExpandDims meets the first one's Squeeze and both vanish
    Tensor conv2 = g.conv(g.reshape(relu, 1, 1, 5, 4), 2);
    g.output(g.op(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {1}), new long[] {1, 5, 2}, conv2));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.RESHAPE, 2, OpType.CONV_2D, 2), g.census());
    Operator first = g.graph.producer(g.graph.operators().get(2).input(0));
    assertEquals(Activation.RELU, first.options(OpOptions.Conv2D.class).activation());
  }

  @Test
  void aConstantThatIsNoTailOfBothShapesStaysBehindTheReshape() {
    TestGraphs g = new TestGraphs(21);
    Tensor x = g.input(1, 6);
    Tensor r = g.reshape(g.unary(OpType.NEG, x), 1, 2, 3);
    g.output(g.binary(OpType.ADD, r, g.constant(3))); // [3] is the tail of [1, 2, 3] but not of [1, 6]
    optimizeAndCompare(g);
    Operator add = g.last();
    assertEquals(OpType.ADD, add.type());
    assertNotNull(Patterns.exclusiveProducer(g.graph, add.input(0), java.util.Set.of(OpType.RESHAPE)));
  }

  @Test
  void aTailIsTheTrailingDimensionsExactlyAsTheOfficialRuleReadsIt() {
    assertTrue(MoveBeforeReshape.isTail(new long[] {4}, new long[] {3, 4}));
    assertTrue(MoveBeforeReshape.isTail(new long[] {}, new long[] {3, 4}));
    assertFalse(MoveBeforeReshape.isTail(new long[] {1, 4}, new long[] {3, 4}));
    assertFalse(MoveBeforeReshape.isTail(new long[] {1, 1, 4}, new long[] {3, 4}), "a longer constant would raise the result's rank");
  }

  @Test
  void maximumAndMinimumClampsBecomeReluAndReluN1To1AndFuse() {
    TestGraphs g = new TestGraphs(22);
    Tensor conv = g.conv(g.input(1, 2, 2, 3), 4);
    g.output(g.binary(OpType.MINIMUM, g.binary(OpType.MAXIMUM, conv, g.filled(-1, 1)), g.filled(1, 1)));
    optimizeAndCompare(g);
    assertEquals(Map.of(OpType.CONV_2D, 1), g.census());
    assertEquals(Activation.RELU_N1_TO_1, g.last().options(OpOptions.Conv2D.class).activation());

    TestGraphs relu = new TestGraphs(23);
    Tensor x = relu.input(1, 4);
    relu.output(relu.binary(OpType.MAXIMUM, relu.filled(0, 4), relu.binary(OpType.ADD, relu.unary(OpType.NEG, x), x)));
    optimizeAndCompare(relu);
    assertEquals(Map.of(OpType.NEG, 1, OpType.ADD, 1), relu.census());

    TestGraphs other = new TestGraphs(24);
    Tensor y = other.input(1, 4);
    other.output(other.binary(OpType.MINIMUM, other.binary(OpType.MAXIMUM, y, other.filled(-1, 1)), other.filled(2, 1)));
    optimizeAndCompare(other);
    assertEquals(Map.of(OpType.MAXIMUM, 1, OpType.MINIMUM, 1), other.census(), "a clamp to [-1, 2] is no TensorFlow Lite activation");
  }
  /** keras.applications' stride-2 blocks: ZeroPadding2D((0, 1), (0, 1)) then a VALID 3x3 stride-2 depthwise convolution. */
  private static TestGraphs paddedStrideTwoDepthwise(int before, int after) {
    TestGraphs g = new TestGraphs(9);
    Tensor x = g.input(1, 8, 8, 4);
    Tensor pads = g.graph.newConstant("pads", dev.tflite.convert.ir.TensorData.ofInts(new long[] {4, 2}, new int[] {0, 0, before, after, before, after, 0, 0}),
        "pads");
    long padded = 8 + before + after;
    Tensor p = g.op(OpType.PAD, new OpOptions.Pad(), new long[] {1, padded, padded, 4}, x, pads);
    long out = (padded - 3) / 2 + 1;
    g.output(g.op(OpType.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(OpOptions.Padding.VALID, 2, 2, 1, 1, 1, Activation.NONE),
        new long[] {1, out, out, 4}, p, g.constant(1, 3, 3, 4), g.constant(4)));
    return g;
  }

  @Test
  void aZeroPadThatIsSamePaddingFoldsIntoTheConvolution() {
    TestGraphs g = paddedStrideTwoDepthwise(0, 1);
    Tensor input = g.graph.inputs().get("x");
    PassPipeline.standard().run(g.graph);
    assertEquals(Map.of(OpType.DEPTHWISE_CONV_2D, 1), g.census());
    assertEquals(OpOptions.Padding.SAME, g.last().options(OpOptions.DepthwiseConv2D.class).padding());
    assertSame(input, g.last().input(0));
  }

  @Test
  void otherPadsStayBeforeTheConvolution() {
    // ResNet's conv1_pad: 1 before and after is not what SAME pads for an 8-wide input and a 3x3 stride-2 window (0, 1)
    TestGraphs g = paddedStrideTwoDepthwise(1, 1);
    PassPipeline.standard().run(g.graph);
    assertEquals(Map.of(OpType.PAD, 1, OpType.DEPTHWISE_CONV_2D, 1), g.census());
    assertEquals(OpOptions.Padding.VALID, g.last().options(OpOptions.DepthwiseConv2D.class).padding());
  }

  @Test
  void aMeanOfSingleElementsIsDropped() {
    TestGraphs g = new TestGraphs(10);
    Tensor x = g.input(1, 1, 1, 4);
    Tensor axes = g.graph.newConstant("axes", dev.tflite.convert.ir.ConstantLayouts.int32Vector(1, 2), "axes");
    Tensor pooled = g.op(OpType.MEAN, new OpOptions.Reducer(true), new long[] {1, 1, 1, 4}, x, axes);
    g.output(g.binary(OpType.MUL, x, pooled)); // squeeze-excite: the input times its (here trivial) pooled gate
    PassPipeline.standard().run(g.graph);
    assertEquals(Map.of(OpType.MUL, 1), g.census());
    assertSame(x, g.last().input(1));
  }
}
