package dev.tflite.testmodels;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds layers in a TensorFlow Java graph with the exact op sequence Keras (TF 2.x) emits for them, so the
 * converter sees what a real Keras export contains. Weights are graph variables (TF1 {@code VariableV2}, which is
 * what TensorFlow Java exports), initialised from {@link SeededWeights}.
 */
public final class KerasLowering {
  private final Ops tf;
  private final SeededWeights weights;

  public KerasLowering(Ops tf, SeededWeights weights) {
    this.tf = tf;
    this.weights = weights;
  }

  public Ops ops() {
    return tf;
  }

  /** Conv2D: Conv2D(kernel HWIO) then BiasAdd, then the optional activation. */
  public Operand<TFloat32> conv2d(String name, Operand<TFloat32> x, int filters, int kernel, int stride, String padding) {
    long inChannels = x.shape().get(3);
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> w = variable(scope, "kernel", weights.glorotUniform(kernel * kernel * inChannels, kernel * kernel * filters, kernel, kernel, inChannels, filters));
    Variable<TFloat32> b = variable(scope, "bias", weights.range(-0.1, 0.1, filters));
    Operand<TFloat32> conv = scope.withName("Conv2D").nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), padding, Conv2d.dataFormat("NHWC"));
    return scope.withName("BiasAdd").nn.biasAdd(conv, b);
  }

  /**
   * Conv2D with dilation_rate d > 1 (stride 1): Keras runs it through {@code tf.nn.convolution}, i.e. SpaceToBatchND,
   * the undilated Conv2D with VALID padding, BatchToSpaceND, then BiasAdd.
   */
  public Operand<TFloat32> dilatedConv2d(String name, Operand<TFloat32> x, int filters, int kernel, int dilation, String padding) {
    long inChannels = x.shape().get(3);
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> w = variable(scope, "kernel", weights.glorotUniform(kernel * kernel * inChannels, kernel * kernel * filters, kernel, kernel, inChannels, filters));
    Variable<TFloat32> b = variable(scope, "bias", weights.range(-0.1, 0.1, filters));
    return scope.withName("BiasAdd").nn.biasAdd(DilatedConvolution.conv2d(scope, x, w, dilation, padding), b);
  }

  /** DepthwiseConv2D with dilation_rate d > 1 (stride 1, no bias), in the SpaceToBatchND form Keras runs. */
  public Operand<TFloat32> dilatedDepthwiseConv2d(String name, Operand<TFloat32> x, int kernel, int dilation, String padding) {
    long channels = x.shape().get(3);
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> w = variable(scope, "depthwise_kernel", weights.glorotUniform(kernel * kernel, kernel * kernel, kernel, kernel, channels, 1));
    return DilatedConvolution.depthwise(scope, x, w, dilation, padding);
  }

  /** Dense: MatMul(kernel [in, out]) then BiasAdd. */
  public Operand<TFloat32> dense(String name, Operand<TFloat32> x, int units) {
    return dense(name, x, x.shape().get(1), units);
  }

  /** Dense after a Flatten, whose feature count TensorFlow cannot infer statically (Keras knows it from Python). */
  public Operand<TFloat32> dense(String name, Operand<TFloat32> x, long in, int units) {
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> w = variable(scope, "kernel", weights.glorotUniform(in, units, in, units));
    Variable<TFloat32> b = variable(scope, "bias", weights.range(-0.1, 0.1, units));
    Operand<TFloat32> product = scope.withName("MatMul").linalg.matMul(x, w);
    return scope.withName("BiasAdd").nn.biasAdd(product, b);
  }

  /**
   * PReLU as Keras lowers it: {@code relu(x) + (-alpha) * relu(-x)}; alpha has the input's non-batch shape with
   * the shared axes collapsed to 1.
   */
  public Operand<TFloat32> prelu(String name, Operand<TFloat32> x, long... alphaShape) {
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> alpha = variable(scope, "alpha", weights.range(0.05, 0.45, alphaShape));
    Operand<TFloat32> pos = scope.withName("Relu").nn.relu(x);
    Operand<TFloat32> negAlpha = scope.withName("Neg").math.neg(alpha);
    Operand<TFloat32> negInput = scope.withName("Neg_1").math.neg(x);
    Operand<TFloat32> reluNeg = scope.withName("Relu_1").nn.relu(negInput);
    Operand<TFloat32> neg = scope.withName("mul").math.mul(negAlpha, reluNeg);
    return scope.withName("add").math.add(pos, neg);
  }

  /** DepthwiseConv2D: DepthwiseConv2dNative (kernel [k,k,C,1]) with no bias, as Keras emits before a BatchNormalization. */
  public Operand<TFloat32> depthwiseConv2d(String name, Operand<TFloat32> x, int kernel, int stride) {
    long channels = x.shape().get(3);
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> w = variable(scope, "depthwise_kernel", weights.glorotUniform(kernel * kernel, kernel * kernel, kernel, kernel, channels, 1));
    return scope.withName("depthwise").nn.depthwiseConv2dNative(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
  }

  /** Conv2D without bias (use_bias=False), the form used before BatchNormalization. */
  public Operand<TFloat32> conv2dNoBias(String name, Operand<TFloat32> x, int filters, int kernel, int stride) {
    long inChannels = x.shape().get(3);
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> w = variable(scope, "kernel", weights.glorotUniform(kernel * kernel * inChannels, kernel * kernel * filters, kernel, kernel, inChannels, filters));
    return scope.withName("Conv2D").nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
  }

  /** BatchNormalization at inference: FusedBatchNormV3 with is_training=false and Keras' epsilon 1e-3. */
  public Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x) {
    long channels = x.shape().get(3);
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> gamma = variable(scope, "gamma", weights.range(0.6, 1.4, channels));
    Variable<TFloat32> beta = variable(scope, "beta", weights.range(-0.2, 0.2, channels));
    Variable<TFloat32> mean = variable(scope, "moving_mean", weights.range(-0.2, 0.2, channels));
    Variable<TFloat32> variance = variable(scope, "moving_variance", weights.range(0.5, 1.5, channels));
    return scope.withName("FusedBatchNormV3").nn.fusedBatchNorm(x, gamma, beta, mean, variance,
        org.tensorflow.op.nn.FusedBatchNorm.epsilon(1e-3f), org.tensorflow.op.nn.FusedBatchNorm.isTraining(false)).y();
  }

  public Operand<TFloat32> relu6(String name, Operand<TFloat32> x) {
    return tf.withName(name).nn.relu6(x);
  }

  public Operand<TFloat32> add(String name, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.withName(name).math.add(a, b);
  }

  /** GlobalAveragePooling2D: Mean over the spatial axes. */
  public Operand<TFloat32> globalAveragePool(String name, Operand<TFloat32> x) {
    return tf.withName(name).math.mean(x, tf.constant(new int[] {1, 2}));
  }

  public Operand<TFloat32> maxPool(String name, Operand<TFloat32> x, int pool, int stride, String padding) {
    return tf.withName(name).nn.maxPool(x, tf.constant(new int[] {1, pool, pool, 1}), tf.constant(new int[] {1, stride, stride, 1}), padding);
  }

  /** Flatten as Keras emits it when the batch is unknown: Reshape(x, Pack(StridedSlice(Shape(x), 0), -1)). */
  public Operand<TFloat32> flatten(String name, Operand<TFloat32> x) {
    Ops scope = tf.withSubScope(name);
    Operand<TInt32> shape = scope.withName("Shape").shape(x);
    Operand<TInt32> batch = scope.withName("strided_slice").stridedSlice(shape, scope.constant(new int[] {0}), scope.constant(new int[] {1}), scope.constant(new int[] {1}),
        org.tensorflow.op.core.StridedSlice.shrinkAxisMask(1L));
    Operand<TInt32> newShape = scope.withName("Reshape_shape").stack(List.of(batch, scope.constant(-1)));
    return scope.withName("Reshape").reshape(x, newShape);
  }

  public Operand<TFloat32> softmax(String name, Operand<TFloat32> x) {
    return tf.withName(name).nn.softmax(x);
  }

  private Variable<TFloat32> variable(Ops scope, String name, TFloat32 initialValue) {
    if (deferred != null) {
      // large models: the value is fed when the variable is initialised, so it is not copied into the graph
      Variable<TFloat32> v = scope.withName(name).variable(initialValue.shape(), TFloat32.class);
      org.tensorflow.op.core.Placeholder<TFloat32> value = scope.withName(name + "_value").placeholder(TFloat32.class,
          org.tensorflow.op.core.Placeholder.shape(initialValue.shape()));
      deferred.add(new SavedModelExport.Initializer(scope.withName(name + "_assign").assign(v, value), value, initialValue));
      return v;
    }
    return scope.withName(name).variable(scope.constantOf(initialValue));
  }

  private java.util.List<SavedModelExport.Initializer> deferred;

  /** Variables get their values fed at initialisation instead of from constants in the graph (for large models). */
  public KerasLowering deferInitialization(java.util.List<SavedModelExport.Initializer> initializers) {
    this.deferred = initializers;
    return this;
  }
}
