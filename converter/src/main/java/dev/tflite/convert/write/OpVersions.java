package dev.tflite.convert.write;

import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ops.OpContracts;

/**
 * The operator version a kernel needs for this op's types and options, as each op's contract states it (following
 * the TensorFlow Lite runtime's versioning rules, tensorflow/lite/tools/versioning/op_version.cc, for the types and
 * options this converter writes). Which runtime registers each version is in the same contract.
 */
public final class OpVersions {
  private OpVersions() {}

  public static int of(Operator op) {
    return OpContracts.of(op.type()).version(op);
  }
}
