package dev.tflite.convert.legalize;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * TensorFlow op type → legalization. Ops are grouped by family ({@link NnOps}, {@link MathOps}, {@link ArrayOps});
 * adding an op is one {@code register} line in its family plus a row in the per-op numeric test.
 */
public final class LegalizationRegistry {
  private final Map<String, OpLegalization> rules = new TreeMap<>();

  public static LegalizationRegistry standard() {
    LegalizationRegistry registry = new LegalizationRegistry();
    NnOps.registerAll(registry);
    MathOps.registerAll(registry);
    ArrayOps.registerAll(registry);
    ElementwiseOps.registerAll(registry);
    IndexOps.registerAll(registry);
    LayoutOps.registerAll(registry);
    EinsumOps.registerAll(registry);
    VolumeOps.registerAll(registry);
    ShapeOps.registerAll(registry);
    return registry;
  }

  public void register(String tfOp, OpLegalization rule) {
    if (rules.putIfAbsent(tfOp, rule) != null) {
      throw new IllegalStateException("two legalizations for " + tfOp);
    }
  }

  public OpLegalization find(String tfOp) {
    return rules.get(tfOp);
  }

  public Map<String, OpLegalization> all() {
    return Collections.unmodifiableMap(rules);
  }
}
