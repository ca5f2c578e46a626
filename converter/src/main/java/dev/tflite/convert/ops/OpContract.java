package dev.tflite.convert.ops;

import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Everything the converter knows about one TensorFlow Lite builtin, in one place (as the MLIR converter keeps
 * quantization traits on the op definition): which operand holds weights and along which axis they get one scale per
 * channel, which operand is the bias and which activation its scale derives from, how the integer kernels choose the
 * output scale, whether a hybrid (dynamic-range) kernel exists, which integer kernels TensorFlow Lite 2.6 has, the
 * runtime that first registers each op version, and which version an emitted operator needs. The quantizers, the
 * version chooser, the {@code min_runtime_version} metadata and the generated op table all read it.
 *
 * @param weightIndex the constant weight operand, -1 when the op has none
 * @param weightAxis output-channel axis of the weights for per-channel scales; -1 per tensor
 * @param dataIndex the activation operand the bias scale derives from (input scale x weight scale)
 * @param biasIndex the bias operand, -1 when none
 * @param hybrid the 2.6 runtime has a hybrid kernel (int8 weights, float activations quantized on the fly)
 * @param int8 the 2.6 runtime has an int8 kernel
 * @param int16 the 2.6 runtime has an int16x8 kernel (int16 activations, int8 weights)
 * @param versionsSince index i: the first runtime registering op version i + 1 (runtime_version.cc)
 * @param weightGroup every constant weight operand when the op has several that its hybrid kernel reads as int8
 *     together (all of them or none: the sequence LSTM's eight gate matrices); empty for one weight operand
 * @param clampsConstants a constant operand is encoded in the shared scale and saturated instead of widening it
 */
public record OpContract(OpType op, int weightIndex, int weightAxis, int dataIndex, int biasIndex, OutputScale outputScale,
    FixedScale int8Fixed, FixedScale int16Fixed, boolean hybrid, boolean int8, boolean int16, List<String> versionsSince,
    ToIntFunction<VersionInput> versionRule, String summary, List<Integer> weightGroup, boolean clampsConstants) {

  /** How an integer kernel's output quantization is chosen. */
  public enum OutputScale {
    /** From the output's own calibrated range: the kernel rescales. */
    FREE,
    /** The first input's: the kernel moves or selects raw integers (pools, reshapes, gathers). */
    SAME_AS_INPUT,
    /** One scale shared by every float operand and the output: raw integers are compared or copied side by side. */
    SAME_AS_INPUTS,
    /** Fixed by the kernel (LOGISTIC, SOFTMAX, TANH): see {@link #int8Fixed} and {@link #int16Fixed}. */
    FIXED
  }

  /** A kernel-imposed output scale and zero point. */
  public record FixedScale(double scale, long zeroPoint) {}

  public OpContract {
    Objects.requireNonNull(op);
    Objects.requireNonNull(outputScale);
    versionsSince = List.copyOf(versionsSince);
    weightGroup = List.copyOf(weightGroup);
    if (versionsSince.isEmpty()) {
      throw new IllegalArgumentException(op + ": the contract needs the runtime of at least op version 1");
    }
    if (outputScale == OutputScale.FIXED && ((int8 && int8Fixed == null) || (int16 && int16Fixed == null))) {
      throw new IllegalArgumentException(op + ": a fixed output scale needs the scale of every integer kernel");
    }
    if (clampsConstants && outputScale != OutputScale.SAME_AS_INPUTS) {
      throw new IllegalArgumentException(op + ": only an op sharing one scale over its operands clamps constants into it");
    }
    if (hybrid && weightIndex < 0) {
      throw new IllegalArgumentException(op + ": a hybrid kernel needs a weight operand");
    }
  }

  /** The version this operator needs, as op_version.cc chooses it for the types and options this converter writes. */
  public int version(Operator operator) {
    int v = versionRule.applyAsInt(new VersionInput(operator));
    if (v < 1 || v > versionsSince.size()) {
      throw new IllegalStateException(op + " version " + v + " is missing from its contract's runtime-version list");
    }
    return v;
  }

  public boolean hasWeights() {
    return weightIndex >= 0;
  }

  static Builder define(OpType op) {
    return new Builder(op);
  }

  /** Reads like the op's definition: {@code define(ADD).free().int8().int16().since(...).version(...)}. */
  static final class Builder {
    private final OpType op;
    private int weightIndex = -1;
    private int weightAxis = -1;
    private int dataIndex = 0;
    private int biasIndex = -1;
    private OutputScale outputScale = OutputScale.FREE;
    private FixedScale int8Fixed;
    private FixedScale int16Fixed;
    private boolean hybrid;
    private boolean int8;
    private boolean int16;
    private List<String> since = List.of();
    private ToIntFunction<VersionInput> versionRule = v -> 1;
    private String summary = "";
    private List<Integer> weightGroup = List.of();
    private boolean clampsConstants;

    private Builder(OpType op) {
      this.op = op;
    }

    /** Constant weights at {@code index} (scales per channel along {@code axis}, -1 per tensor), activation at {@code data}, bias at {@code bias}. */
    Builder weights(int index, int axis, int data, int bias) {
      weightIndex = index;
      weightAxis = axis;
      dataIndex = data;
      biasIndex = bias;
      return this;
    }

    /** Several weight operands quantized together (the first is {@link #weightIndex}), per tensor. */
    Builder weightGroup(Integer... indices) {
      weightGroup = List.of(indices);
      weightIndex = indices[0];
      weightAxis = -1;
      return this;
    }

    Builder free() {
      outputScale = OutputScale.FREE;
      return this;
    }

    Builder sameAsInput() {
      outputScale = OutputScale.SAME_AS_INPUT;
      return this;
    }

    Builder sameAsInputs() {
      outputScale = OutputScale.SAME_AS_INPUTS;
      return this;
    }

    Builder fixed(double int8Scale, long int8ZeroPoint, double int16Scale) {
      outputScale = OutputScale.FIXED;
      int8Fixed = new FixedScale(int8Scale, int8ZeroPoint);
      int16Fixed = new FixedScale(int16Scale, 0);
      return this;
    }

    Builder hybrid() {
      hybrid = true;
      return this;
    }

    Builder int8() {
      int8 = true;
      return this;
    }

    Builder int16() {
      int16 = true;
      return this;
    }

    Builder since(String... runtimes) {
      since = List.of(runtimes);
      return this;
    }

    Builder version(ToIntFunction<VersionInput> rule) {
      versionRule = rule;
      return this;
    }

    /**
     * One scale for every operand, but a constant operand does not widen it: its values are saturated into the range
     * the activations span. Right for MAXIMUM/MINIMUM, whose output lies in the calibrated output range anyway (a
     * cap such as 1e12 or a floor such as -1e12 only acts where it is inside that range); wrong for CONCATENATION,
     * PACK or PADV2, which copy the constant into the output.
     */
    Builder clampsConstants() {
      clampsConstants = true;
      return this;
    }

    /** A few words for the generated op table: what the op is for, or why it is written. */
    Builder summary(String text) {
      summary = text;
      return this;
    }

    OpContract build() {
      return new OpContract(op, weightIndex, weightAxis, dataIndex, biasIndex, outputScale, int8Fixed, int16Fixed, hybrid, int8, int16,
          since, versionRule, summary, weightGroup, clampsConstants);
    }
  }
}
