package dev.tflite.convert.ops;

import static dev.tflite.convert.ops.OpContract.define;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The contract of every TensorFlow Lite op the converter writes, one entry each. Adding an op to the converter is its
 * {@link OpType} constant, one entry here and its legalization; the quantizers, the version chooser, the runtime
 * table and the docs follow. Sources: kernel registrations and type checks of TensorFlow Lite 2.6 (which integer
 * kernels exist and how they treat scales), tensorflow/lite/tools/versioning/op_version.cc (versions) and
 * runtime_version.cc (the runtime of each version). Loading this class fails when an op type has no contract.
 */
public final class OpContracts {
  private static final Map<OpType, OpContract> CONTRACTS = new EnumMap<>(OpType.class);

  // int8: 1/256 with zero point -128 covers [0, 1); 1/128 with zero point 0 covers [-1, 1); int16: 1/32768, zero point 0
  private static final double INT8_UNIT = 1.0 / 256;
  private static final double INT8_SIGNED_UNIT = 1.0 / 128;
  private static final double INT16_UNIT = 1.0 / 32768;

  static {
    // weighted ops: weights at 1, activation at 0, bias at 2
    add(define(OpType.CONV_2D).weights(1, 0, 0, 2).hybrid().int8().int16()
        .since("1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.4.0")
        .version(v -> v.hybrid() ? (v.perChannelWeights() ? 5 : 2) : v.int16() ? 4 : v.int8() ? 3 : 1)
        .summary("2-D convolution, OHWI weights, per-channel scales"));
    add(define(OpType.DEPTHWISE_CONV_2D).weights(1, 3, 0, 2).hybrid().int8().int16()
        .since("1.5.0", "1.12.0", "1.14.0", "2.2.0", "2.3.0", "2.3.0")
        .version(v -> {
          OpOptions.DepthwiseConv2D o = v.options(OpOptions.DepthwiseConv2D.class);
          if (v.hybrid()) {
            return v.perChannelWeights() ? 6 : 4;
          }
          return v.int16() ? 5 : v.int8() ? 3 : (o.dilationH() != 1 || o.dilationW() != 1) ? 2 : 1;
        })
        .summary("depthwise convolution, 1HWC weights, per-channel scales"));
    // the 2.6 int8 and hybrid kernels read one weight scale (see ActivationScheme for newer targets)
    add(define(OpType.FULLY_CONNECTED).weights(1, -1, 0, 2).hybrid().int8().int16()
        .since("1.5.0", "1.10.0", "1.14.0", "1.14.0", "2.0.0", "2.1.0", "2.3.0", "2.3.0", "2.3.0")
        .version(v -> {
          OpOptions.FullyConnected o = v.options(OpOptions.FullyConnected.class);
          if (v.op().inputs().size() < 3 || v.op().input(2) == null) {
            return 6;
          }
          if (o.keepNumDims()) {
            return 5;
          }
          return v.int16() ? 7 : v.int8() ? 4 : v.hybrid() ? (o.asymmetricQuantizeInputs() ? 9 : 3) : 1;
        })
        .summary("dense layer, per-tensor weight scale"));
    // output shape at 0, OHWI weights at 1, activation at 2, optional bias at 3
    add(define(OpType.TRANSPOSE_CONV).weights(1, 0, 2, 3).int8().int16()
        .since("1.9.0", "2.2.0", "2.3.0")
        .version(v -> v.op().inputs().size() > 3 && v.op().input(3) != null ? 3 : v.weights() != null && v.weights().type() == DType.INT8 ? 2 : 1)
        .summary("transposed convolution"));

    // element-wise arithmetic: the kernels rescale, so the output takes its own range
    add(define(OpType.ADD).int8().int16().since("1.5.0", "1.14.0", "2.4.0", "2.6.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.SUB).int8().int16().since("1.6.0", "1.14.0", "2.3.0", "2.4.0", "2.4.0").version(v -> v.int16() ? 5 : v.int8() ? 2 : 1));
    add(define(OpType.MUL).int8().int16().since("1.5.0", "1.14.0", "1.15.0", "2.3.0", "2.6.0")
        .version(v -> v.int16() ? 4 : v.int8() ? (v.rescalesUp() ? 3 : 2) : 1));
    add(define(OpType.DIV).since("1.6.0", "2.3.0").summary("no integer kernel in 2.6"));
    add(define(OpType.MAXIMUM).sameAsInputs().clampsConstants().int8().int16().since("1.14.0", "1.14.0", "2.3.0", "2.3.0").version(v -> v.int16() ? 4 : v.int8() ? 2 : 1)
        .summary("compares raw integers: one scale for both operands; a constant outside the range is clamped into it"));
    add(define(OpType.MINIMUM).sameAsInputs().clampsConstants().int8().int16().since("1.14.0", "1.14.0", "2.3.0", "2.3.0").version(v -> v.int16() ? 4 : v.int8() ? 2 : 1)
        .summary("compares raw integers: one scale for both operands; a constant outside the range is clamped into it"));
    add(define(OpType.ABS).int8().int16().since("1.13.0", "2.4.0", "2.5.0", "2.6.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.NEG).since("1.9.0").summary("no integer kernel in 2.6"));
    add(define(OpType.EXP).since("1.7.0").summary("no integer kernel in 2.6"));
    add(define(OpType.LOG).since("1.14.0"));
    add(define(OpType.SQRT).since("1.10.0"));
    // the 2.5 int8 kernel (positive inputs, as a variance plus epsilon is); no int16 one in 2.6
    add(define(OpType.RSQRT).int8().since("1.10.0", "2.5.0").version(v -> v.int8() ? 2 : 1));

    // activations
    add(define(OpType.RELU).int8().int16().since("1.5.0", "2.1.0", "2.5.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.RELU6).int8().int16().since("1.5.0", "1.14.0", "2.5.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.RELU_N1_TO_1).since("1.5.0").summary("fused as an activation only"));
    add(define(OpType.LEAKY_RELU).int8().int16().since("1.13.1", "2.3.0").version(v -> v.int16() ? 2 : 1));
    add(define(OpType.PRELU).int8().since("1.8.0").summary("alpha is state, not a weight: never weight-quantized"));
    add(define(OpType.ELU).int8().since("1.14.0"));
    add(define(OpType.LOGISTIC).fixed(INT8_UNIT, -128, INT16_UNIT).int8().int16().since("1.14.0", "1.14.0", "2.3.0")
        .version(v -> v.int16() ? 3 : v.int8() ? 2 : 1).summary("output scale fixed by the kernel"));
    add(define(OpType.TANH).fixed(INT8_SIGNED_UNIT, 0, INT16_UNIT).int8().int16().since("1.14.0", "1.14.0", "2.3.0")
        .version(v -> v.int16() ? 3 : v.int8() ? 2 : 1).summary("output scale fixed by the kernel"));
    add(define(OpType.SOFTMAX).fixed(INT8_UNIT, -128, INT16_UNIT).int8().int16().since("1.5.0", "1.14.0", "2.3.0")
        .version(v -> v.int16() ? 3 : v.int8() ? 2 : 1).summary("output scale fixed by the kernel"));

    // pooling and reductions
    add(define(OpType.MAX_POOL_2D).sameAsInput().int8().int16().since("1.5.0", "1.14.0", "2.3.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.AVERAGE_POOL_2D).sameAsInput().int8().int16().since("1.5.0", "1.14.0", "2.3.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.MEAN).int8().int16().since("1.6.0", "1.14.0", "2.4.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.SUM).int8().since("1.10.0", "1.15.0").version(v -> v.int8() || v.int16() ? 2 : 1));
    add(define(OpType.REDUCE_MAX).sameAsInput().int8().int16().since("1.11.0", "1.14.0", "2.5.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));

    // data movement: raw integers are copied, so the output keeps the input's scale
    add(define(OpType.RESHAPE).sameAsInput().int8().int16().since("1.5.0"));
    add(define(OpType.SQUEEZE).sameAsInput().int8().int16().since("1.6.0"));
    add(define(OpType.EXPAND_DIMS).sameAsInput().int8().int16().since("1.10.0")
        .summary("a unit dimension inserted into a tensor with two or more dynamic dimensions (batch and a Keras open sequence length), which a RESHAPE target could not follow"));
    add(define(OpType.TRANSPOSE).sameAsInput().int8().int16().since("1.6.0", "1.14.0", "1.15.0", "2.3.0", "2.4.0")
        .version(v -> v.int16() ? 5 : v.rank() > 4 ? 4 : v.int8() ? 2 : 1));
    add(define(OpType.GATHER).sameAsInput().int8().int16().since("1.6.0", "1.14.0", "1.15.0", "2.4.0", "2.5.0").version(v -> v.int16() ? 4 : v.int8() ? 2 : 1));
    add(define(OpType.PAD).sameAsInput().int8().int16().since("1.5.0", "1.14.0", "2.4.0", "2.6.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.PADV2).sameAsInputs().int8().int16().since("1.9.0", "1.14.0", "2.4.0", "2.6.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1)
        .summary("the pad value is copied raw: one scale with the input"));
    add(define(OpType.CONCATENATION).sameAsInputs().int8().int16().since("1.5.0", "1.14.0", "2.3.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1)
        .summary("one scale for every operand"));
    add(define(OpType.SLICE).sameAsInput().int8().int16().since("1.14.0", "1.14.0", "1.14.0", "2.4.0", "2.5.0")
        .version(v -> v.rank() > 4 ? 5 : v.int16() ? 4 : v.int8() ? 2 : 1));
    // 4-D input; version 3 (int16) is left float
    add(define(OpType.SPACE_TO_BATCH_ND).sameAsInput().int8().since("1.6.0", "1.14.0", "2.3.0").version(v -> v.int8() ? 2 : 1));
    add(define(OpType.BATCH_TO_SPACE_ND).sameAsInput().int8().since("1.6.0", "1.14.0", "2.3.0").version(v -> v.int8() ? 2 : 1));
    add(define(OpType.RESIZE_NEAREST_NEIGHBOR).sameAsInput().int8().int16().since("1.13.1", "1.14.0", "2.3.0", "2.4.0")
        .version(v -> {
          OpOptions.ResizeNearestNeighbor o = v.options(OpOptions.ResizeNearestNeighbor.class);
          return v.int16() ? 4 : o.halfPixelCenters() || o.alignCorners() ? 3 : v.int8() ? 2 : 1;
        }));
    add(define(OpType.RESIZE_BILINEAR).sameAsInput().int8().since("1.7.0", "1.14.0", "2.2.0", "2.5.0")
        .version(v -> v.int16() ? 4 : v.options(OpOptions.ResizeBilinear.class).halfPixelCenters() ? 3 : v.int8() ? 2 : 1)
        .summary("int16 stays float: its 2.6 kernel interpolates at about int8 precision (260 int16 steps measured)"));
    add(define(OpType.CAST).since("1.5.0").summary("float32 and int32 only"));

    // written by the quantizers and for quantization-aware models
    add(define(OpType.QUANTIZE).since("1.14.0", "1.15.0").version(v -> v.outputType() == DType.INT16 ? 2 : 1));
    add(define(OpType.DEQUANTIZE).since("1.13.1", "1.14.0", "1.15.0", "2.2.0")
        .version(v -> v.inputType() == DType.FLOAT16 || v.inputType() == DType.INT16 ? 3 : v.inputType() == DType.INT8 ? 2 : 1));
    add(define(OpType.FAKE_QUANT).since("1.5.0", "1.10.0"));

    // element-wise math without integer kernels in 2.6 (or with ones this converter does not yet use)
    add(define(OpType.SQUARE).since("1.12.0"));
    add(define(OpType.SQUARED_DIFFERENCE).since("1.13.1", "2.5.0"));
    add(define(OpType.POW).since("1.10.0"));
    add(define(OpType.SIN).since("1.9.0"));
    add(define(OpType.COS).since("1.14.0"));
    add(define(OpType.FLOOR).since("1.9.0"));
    add(define(OpType.CEIL).since("1.14.0"));
    add(define(OpType.ROUND).since("1.14.0").summary("half to even, as TensorFlow"));
    add(define(OpType.LOG_SOFTMAX).since("1.14.0", "1.14.0"));
    add(define(OpType.ADD_N).since("1.14.0"));
    add(define(OpType.CUMSUM).since("2.4.0"));
    add(define(OpType.MATRIX_DIAG).since("1.14.0"));

    // comparisons and logic: boolean tensors
    add(define(OpType.EQUAL).since("1.14.0", "1.14.0", "2.3.0"));
    add(define(OpType.NOT_EQUAL).since("1.14.0", "1.14.0", "2.3.0"));
    add(define(OpType.LESS).since("1.14.0", "1.14.0"));
    add(define(OpType.LESS_EQUAL).since("1.14.0", "1.14.0"));
    add(define(OpType.GREATER).since("1.14.0", "1.14.0"));
    add(define(OpType.GREATER_EQUAL).since("1.14.0", "1.14.0"));
    add(define(OpType.LOGICAL_AND).since("1.11.0"));
    add(define(OpType.LOGICAL_OR).since("1.11.0"));
    add(define(OpType.LOGICAL_NOT).since("1.11.0"));
    add(define(OpType.SELECT_V2).since("2.2.0").summary("broadcasting select"));

    // reductions and index ops
    add(define(OpType.REDUCE_MIN).sameAsInput().int8().int16().since("1.11.0", "1.14.0", "2.5.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1));
    add(define(OpType.REDUCE_PROD).since("1.11.0", "2.6.0"));
    add(define(OpType.REDUCE_ANY).since("1.11.0"));
    add(define(OpType.REDUCE_ALL).since("2.6.0"));
    add(define(OpType.ARG_MAX).since("1.9.0", "1.14.0"));
    add(define(OpType.ARG_MIN).since("1.9.0", "1.14.0"));
    add(define(OpType.TOPK_V2).since("1.7.0", "1.14.0").summary("values and int32 indices"));

    // layout and data movement
    add(define(OpType.STRIDED_SLICE).sameAsInput().int8().since("1.6.0", "1.14.0", "2.1.0", "2.2.0", "2.5.0", "2.6.0")
        .version(v -> v.rank() > 4 ? 4 : v.int8() ? 2 : 1).summary("ellipsis and new axes written out by the legalization"));
    add(define(OpType.PACK).sameAsInputs().int8().int16().since("1.11.0", "1.14.0", "2.3.0").version(v -> v.int8() ? 2 : v.int16() ? 3 : 1)
        .summary("the kernel copies raw values: one scale for every operand"));
    add(define(OpType.UNPACK).sameAsInput().int8().int16().since("1.11.0", "1.14.0", "2.2.0", "2.3.0").version(v -> v.int16() ? 4 : v.int8() ? 2 : 1)
        .summary("the kernel copies raw values: every output keeps the input's scale"));
    // the data is input 1 (input 0 is the axis): the version follows the outputs' type
    add(define(OpType.SPLIT).sameAsInput().int8().int16().since("1.5.0", "1.14.0", "1.14.0", "2.3.0")
        .version(v -> v.outputType() == DType.INT16 ? 4 : v.outputType() == DType.INT8 ? 2 : 1)
        .summary("the kernel copies raw values: every output keeps the input's scale"));
    add(define(OpType.SPLIT_V).since("1.13.1", "2.3.0"));
    add(define(OpType.TILE).since("1.10.1", "2.2.0"));
    add(define(OpType.FILL).since("1.13.0", "2.3.0", "2.5.0"));
    add(define(OpType.ZEROS_LIKE).since("1.12.0"));
    add(define(OpType.BROADCAST_TO).since("2.5.0", "2.5.0", "2.5.0").version(v -> 2)
        .summary("version 1 was withdrawn (its op code changed): version 2 is the first written"));
    add(define(OpType.DEPTH_TO_SPACE).sameAsInput().int8().since("2.1.0", "2.5.0").version(v -> v.int8() ? 2 : 1));
    add(define(OpType.SPACE_TO_DEPTH).sameAsInput().int8().since("1.5.0", "1.14.0").version(v -> v.int8() ? 2 : 1));
    add(define(OpType.MIRROR_PAD).sameAsInput().int8().since("1.13.1", "2.3.0").version(v -> v.int8() ? 2 : 1));
    add(define(OpType.REVERSE_V2).since("1.14.0", "2.2.0", "2.5.0").summary("one axis (the 2.6 kernel's limit)"));
    add(define(OpType.GATHER_ND).since("1.14.0", "2.3.0", "2.5.0"));
    add(define(OpType.ONE_HOT).since("1.11.0"));
    // the 2.6 integer kernels: both operands and the output per tensor, output multiplier lhs x rhs / output scale;
    // int8 takes any zero points (version 2), int16 requires zero points 0 (version 3); version 4 is the hybrid one
    add(define(OpType.BATCH_MATMUL).int8().int16().since("2.3.0", "2.3.0", "2.4.0", "2.5.0").version(v -> v.int16() ? 3 : v.int8() ? 2 : 1)
        .summary("both operands computed, or a constant of rank > 2; integer with per-tensor scales"));

    // volumes and single-op patterns: 3-D convolutions run in float only in 2.6 (their kernels register float32 alone);
    // HARD_SWISH and L2_NORMALIZATION have int8 kernels but no int16 ones in 2.6; GELU arrives in 2.9
    add(define(OpType.CONV_3D).weights(1, 4, 0, 2).since("2.5.0").summary("3-D convolution, DHWIO weights as TensorFlow keeps them; float only"));
    add(define(OpType.CONV_3D_TRANSPOSE).weights(1, 3, 2, 3).since("2.6.0")
        .summary("transposed 3-D convolution: output shape at 0, DHWOI weights at 1, activation at 2; float only"));
    add(define(OpType.HARD_SWISH).int8().since("1.15.0").summary("fused from x * relu6(x + 3) / 6 (PassPipeline)"));
    add(define(OpType.L2_NORMALIZATION).fixed(INT8_SIGNED_UNIT, 0, INT16_UNIT).int8().since("1.5.0", "1.14.0").version(v -> v.int8() ? 2 : 1)
        .summary("over the last axis, fused from x * rsqrt(max(sum(x^2), eps)); int8 output fixed at 1/128"));
    add(define(OpType.GELU).since("2.9.0", "2.9.0").version(v -> v.int8() ? 2 : 1)
        .summary("fused only for a target runtime of 2.9 or newer; older targets keep the decomposition"));

    // recurrent: the fused LSTM, written in none, dynamic-range and int8 (TfliteConverter#unfusedReason says why not in the others)
    // int8: the 8x8_16 integer kernel (quantize/SequenceLstmQuantization writes its operands and intermediates)
    add(define(OpType.UNIDIRECTIONAL_SEQUENCE_LSTM).weightGroup(1, 2, 3, 4, 5, 6, 7, 8).hybrid().int8().since("1.13.1", "1.14.0", "2.3.0")
        .version(v -> v.hybrid() ? (v.options(OpOptions.UnidirectionalSequenceLstm.class).asymmetricQuantizeInputs() ? 3 : 2) : 1)
        .summary("Keras LSTM (sigmoid gates), state in variable tensors zeroed each run; int8 weights per tensor in the hybrid kernel; the"
            + " integer kernel in int8 (int16 cell state); none, dynamic-range and int8"));
    add(define(OpType.UNIDIRECTIONAL_SEQUENCE_RNN).weightGroup(1, 2).hybrid().since("1.14.0", "1.14.0", "2.3.0")
        .version(v -> v.hybrid() ? (v.options(OpOptions.SequenceRnn.class).asymmetricQuantizeInputs() ? 3 : 2) : 1)
        .summary("Keras SimpleRNN (tanh, relu, relu6), the same state and mode rules as the sequence LSTM"));

    // shapes computed at run time (a model that resizes): the kernels read only the input's dimensions or int32 scalars
    add(define(OpType.SHAPE).int8().int16().since("1.10.0").summary("reads dimensions only: any input type, int32 or int64 out"));
    add(define(OpType.RANGE).since("1.13.0").summary("int32 or float32"));
    add(define(OpType.FLOOR_DIV).since("1.14.0", "1.14.0").version(v -> v.inputType() == DType.FLOAT32 ? 2 : 1).summary("int32 (version 1) or float32 (2)"));

    for (OpType t : OpType.values()) {
      if (!CONTRACTS.containsKey(t)) {
        throw new ExceptionInInitializerError(t + " has no OpContract: add one entry to OpContracts");
      }
    }
  }

  private OpContracts() {}

  private static void add(OpContract.Builder builder) {
    OpContract c = builder.build();
    if (CONTRACTS.putIfAbsent(c.op(), c) != null) {
      throw new ExceptionInInitializerError("two contracts for " + c.op());
    }
  }

  public static OpContract of(OpType op) {
    return CONTRACTS.get(op);
  }

  public static Map<OpType, OpContract> all() {
    return Collections.unmodifiableMap(CONTRACTS);
  }
}
