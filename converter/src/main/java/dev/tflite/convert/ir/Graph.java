package dev.tflite.convert.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The converter's IR: one TensorFlow Lite subgraph being built. Operators are kept in execution order. Inputs and
 * outputs carry the signature names of the original model so the written SignatureDef matches it.
 */
public final class Graph {
  private final List<Tensor> tensors = new ArrayList<>();
  private final List<Operator> operators = new ArrayList<>();
  private final Map<String, Tensor> inputs = new LinkedHashMap<>();
  private final Map<String, Tensor> outputs = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  /** Tensors whose calibration range is a TensorFlow tensor's, by that tensor's name (see {@link #calibrateFromReference}). */
  private final Map<Tensor, String> referenceRanges = new java.util.IdentityHashMap<>();
  /** Lowered forms a fused op replaced (a recurrent layer's unrolled result): dead by design, see {@link #replacedByFusedOp}. */
  private final Set<Tensor> replacedLowerings = Collections.newSetFromMap(new IdentityHashMap<>());
  private int nextId;

  /**
   * Records that a fused op computes what {@code lowered} (the lowered form's result) did, so that the lowered ops,
   * now read by nothing, are known to be dead by design rather than because something read their values as constants.
   */
  public void replacedByFusedOp(Tensor lowered) {
    replacedLowerings.add(lowered);
  }

  public Set<Tensor> replacedLowerings() {
    return Collections.unmodifiableSet(replacedLowerings);
  }

  /** Something the conversion result names about how the model was written (a recurrent layer left unrolled, and why). */
  public void addNote(String note) {
    notes.add(note);
  }

  /**
   * Calibrates {@code t} with the range the TensorFlow reference's tensor {@code reference} ("node:index") takes on the
   * calibration samples: for a value a kernel keeps inside (the sequence LSTM's cell state at every step), which running
   * this graph cannot show.
   */
  public void calibrateFromReference(Tensor t, String reference) {
    referenceRanges.put(t, reference);
  }

  public Map<Tensor, String> referenceRanges() {
    return Collections.unmodifiableMap(referenceRanges);
  }

  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }

  public Tensor newTensor(String name, DType type, long[] shape, String origin) {
    Tensor t = new Tensor(nextId++, name, type, shape, null, origin);
    tensors.add(t);
    return t;
  }

  public Tensor newConstant(String name, TensorData data, String origin) {
    Tensor t = new Tensor(nextId++, name, data.type(), data.shape(), data, origin);
    tensors.add(t);
    return t;
  }

  public Operator addOperator(Operator op) {
    operators.add(op);
    return op;
  }

  /** Inserts {@code op} just before {@code anchor} in execution order (used for DEQUANTIZE of weights). */
  public void insertBefore(Operator anchor, Operator op) {
    operators.add(operators.indexOf(anchor), op);
  }

  /** Puts {@code replacement} at {@code old}'s place in execution order. */
  public void replaceOperator(Operator old, Operator replacement) {
    operators.set(operators.indexOf(old), replacement);
  }

  public void removeOperators(Set<Operator> dead) {
    Set<Operator> identity = Collections.newSetFromMap(new IdentityHashMap<>());
    identity.addAll(dead);
    operators.removeIf(identity::contains);
  }

  public List<Operator> operators() {
    return Collections.unmodifiableList(operators);
  }

  public List<Tensor> tensors() {
    return Collections.unmodifiableList(tensors);
  }

  public void retainTensors(Set<Tensor> live) {
    tensors.removeIf(t -> !live.contains(t));
  }

  public void addInput(String signatureName, Tensor t) {
    inputs.put(signatureName, t);
  }

  public void addOutput(String signatureName, Tensor t) {
    outputs.put(signatureName, t);
  }

  public void replaceOutput(Tensor old, Tensor replacement) {
    outputs.replaceAll((k, v) -> v == old ? replacement : v);
  }

  public Map<String, Tensor> inputs() {
    return Collections.unmodifiableMap(inputs);
  }

  public Map<String, Tensor> outputs() {
    return Collections.unmodifiableMap(outputs);
  }

  public boolean isGraphOutput(Tensor t) {
    return outputs.containsValue(t);
  }

  /** Operators reading {@code t}, in execution order. */
  public List<Operator> consumers(Tensor t) {
    List<Operator> result = new ArrayList<>();
    for (Operator op : operators) {
      if (op.inputs().contains(t)) {
        result.add(op);
      }
    }
    return result;
  }

  /** The operator writing {@code t}, or null for inputs and constants. */
  public Operator producer(Tensor t) {
    for (Operator op : operators) {
      if (op.outputs().contains(t)) {
        return op;
      }
    }
    return null;
  }

  /** Redirects every reader of {@code from} (operators and graph outputs) to {@code to}. */
  public void replaceUses(Tensor from, Tensor to) {
    for (Operator op : operators) {
      for (int i = 0; i < op.inputs().size(); i++) {
        if (op.input(i) == from) {
          op.setInput(i, to);
        }
      }
    }
    replaceOutput(from, to);
  }
}
