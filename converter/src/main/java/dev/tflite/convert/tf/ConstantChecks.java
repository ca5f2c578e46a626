package dev.tflite.convert.tf;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rejects weights holding NaN or infinity (a diverged or corrupted checkpoint) before they reach a kernel, naming every
 * such node at once. Small constants (under {@value #MIN_WEIGHT_ELEMENTS} elements) may hold infinities on purpose
 * (masks, clipping bounds) and are left alone.
 */
public final class ConstantChecks {
  static final int MIN_WEIGHT_ELEMENTS = 16;

  private ConstantChecks() {}

  public static void requireFiniteWeights(PreparedGraph prepared) {
    Map<String, String> broken = new TreeMap<>();
    prepared.constants().forEach((name, data) -> {
      if (data.type() == DType.FLOAT32 && data.elementCount() >= MIN_WEIGHT_ELEMENTS) {
        String problem = nonFinite(data);
        if (problem != null) {
          broken.put(name.node(), problem);
        }
      }
    });
    if (!broken.isEmpty()) {
      StringBuilder message = new StringBuilder("the model's weights hold values that are not finite (a diverged or corrupted checkpoint):");
      broken.forEach((node, problem) -> message.append("\n  ").append(node).append(": ").append(problem));
      message.append("\nRe-export the model from a good checkpoint.");
      throw new ConversionException(message.toString());
    }
  }

  private static String nonFinite(TensorData data) {
    int nan = 0;
    int inf = 0;
    // NaN and infinity are the float32 values whose exponent bits are all ones; read the bits in place, without a copy.
    java.nio.IntBuffer bits = data.view().asIntBuffer();
    for (int i = 0; i < bits.limit(); i++) {
      int b = bits.get(i);
      if ((b & 0x7f800000) == 0x7f800000) {
        if ((b & 0x007fffff) != 0) {
          nan++;
        } else {
          inf++;
        }
      }
    }
    return nan + inf == 0 ? null : nan + " NaN and " + inf + " infinite of " + data.elementCount() + " values";
  }
}
