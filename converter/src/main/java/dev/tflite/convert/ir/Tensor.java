package dev.tflite.convert.ir;

/**
 * A TensorFlow Lite tensor in the IR. Activations have no data; constants carry {@link TensorData}.
 * {@code shape} holds concrete sizes; {@code dynamicDims} marks the dimensions that stay dynamic (written as -1 in
 * the shape signature). {@code origin} names the TensorFlow node it came from, for error messages and per-layer
 * drift reports.
 */
public final class Tensor {
  private final int id;
  private String name;
  private DType type;
  private long[] shape;
  private boolean[] dynamicDims;
  private TensorData data;
  private Quantization quantization;
  private final String origin;
  private String sourceTensor;
  private boolean variable;

  Tensor(int id, String name, DType type, long[] shape, TensorData data, String origin) {
    this.id = id;
    this.name = name;
    this.type = type;
    this.shape = shape.clone();
    this.dynamicDims = new boolean[shape.length];
    this.data = data;
    this.origin = origin;
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public void rename(String newName) {
    this.name = newName;
  }

  public DType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  public boolean[] dynamicDims() {
    return dynamicDims.clone();
  }

  public void setDynamicDims(boolean[] dims) {
    this.dynamicDims = dims.clone();
  }

  public boolean isConstant() {
    return data != null;
  }

  public TensorData data() {
    return data;
  }

  /** Replaces constant contents (e.g. when folding a scale into weights or quantizing them). */
  public void setData(TensorData newData) {
    this.data = newData;
    this.type = newData.type();
    this.shape = newData.shape();
    this.dynamicDims = new boolean[shape.length];
  }

  /** Changes the element type of an activation (quantization turns float activations into int8 or int16). */
  public void retype(DType newType, Quantization newQuantization) {
    if (data != null) {
      throw new IllegalStateException("retype is for activations; constants change through setData");
    }
    this.type = newType;
    this.quantization = newQuantization;
  }

  public Quantization quantization() {
    return quantization;
  }

  public void setQuantization(Quantization quantization) {
    this.quantization = quantization;
  }

  public String origin() {
    return origin;
  }

  /**
   * The TensorFlow tensor ({@code node:index}) holding the same values, when there is one: calibration records its
   * range in TensorFlow, and per-layer drift compares against it.
   */
  public String sourceTensor() {
    return sourceTensor;
  }

  public void setSourceTensor(String tfTensor) {
    this.sourceTensor = tfTensor;
  }

  /**
   * A variable tensor (TensorFlow Lite's is_variable): state a kernel reads and updates in place, such as a sequence
   * LSTM's output and cell state. Written without data; the interpreter allocates it and zeroes it once.
   */
  public boolean isVariable() {
    return variable;
  }

  public void markVariable() {
    this.variable = true;
  }

  /** No longer a variable (its value moved to another tensor, such as a quantized copy the kernel reads instead). */
  public void unmarkVariable() {
    this.variable = false;
  }

  @Override
  public String toString() {
    return name + ":" + type + Shapes.format(shape);
  }
}
