package dev.tflite.convert;

import dev.tflite.convert.importer.ModelImporter;
import dev.tflite.convert.importer.TfliteImporter;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.legalize.LegalizationRegistry;
import dev.tflite.convert.legalize.Legalizer;
import dev.tflite.convert.legalize.RunTimeShapes;
import dev.tflite.convert.passes.DeadCodeElimination;
import dev.tflite.convert.passes.FixedReshapes;
import dev.tflite.convert.passes.PassPipeline;
import dev.tflite.convert.quantize.QuantizationContext;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.calibrate.ReferenceCalibration;
import dev.tflite.convert.quantize.calibrate.RepresentativeDataset;
import dev.tflite.convert.quantize.calibrate.TensorRanges;
import dev.tflite.convert.quantize.calibrate.TfLiteCalibrator;
import dev.tflite.convert.tf.Composites;
import dev.tflite.convert.tf.GraphPreparation;
import dev.tflite.convert.tf.PreparedGraph;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorFlowTime;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.write.AtomicFiles;
import dev.tflite.convert.write.DebugArtifacts;
import dev.tflite.convert.write.FlatBufferWriter;
import dev.tflite.convert.write.MinimumRuntime;
import dev.tflite.convert.write.metadata.AssociatedFilesArchive;
import dev.tflite.convert.write.metadata.MetadataException;
import dev.tflite.convert.write.metadata.MetadataWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The conversion pipeline: import → prepare (fold, infer shapes) → legalize to the IR → passes → quantize → write.
 * Usable without Maven. Every failure is a {@link ConversionException} whose message starts with the model's name;
 * the output file is written atomically, so a failed run leaves no partial {@code .tflite}.
 */
public final class TfliteConverter {
  /** Written into the model's description; fixed so builds are reproducible. */
  public static final String PRODUCER = "tflite-maven-plugin";

  /** Writes every recurrent layer unrolled, for side-by-side figures of both forms (benchmarks/RecurrentBenchmark). */
  public static final String UNROLL_PROPERTY = "tflite.unrollRecurrent";

  private final LegalizationRegistry registry;

  public TfliteConverter() {
    this(LegalizationRegistry.standard());
  }

  public TfliteConverter(LegalizationRegistry registry) {
    this.registry = registry;
  }

  public ConversionResult convert(ConversionRequest request) {
    return convert(request, null);
  }

  /**
   * Converts and, when {@code debugDirectory} is set, also writes what validation needs to localize drift per layer
   * ({@link DebugArtifacts}).
   */
  public ConversionResult convert(ConversionRequest request, Path debugDirectory) {
    try {
      return run(request, debugDirectory == null ? null : new DebugArtifacts(debugDirectory, request.modelName()));
    } catch (MetadataException e) {
      throw e; // its problems are spelled by the front end, which names the model
    } catch (ConversionException e) {
      throw new ConversionException("model '" + request.modelName() + "' (" + request.source() + "): " + e.getMessage(), e);
    }
  }

  /**
   * Writes only the reference validation runs for a Keras source (the TensorFlow graph its layers lower to, with the
   * map of its inputs and outputs) into {@code debugDirectory}, without converting: for validating a {@code .tflite}
   * this converter did not make.
   */
  public void writeReference(ConversionRequest request, Path debugDirectory) {
    try {
      TfGraph imported = ModelImporter.load(new ModelImporter.ImportRequest(request.source(), request.signature(), request.tags(), request.inputShapes()));
      PreparedGraph prepared = GraphPreparation.prepare(imported, request.inputShapes());
      Map<String, String> inputs = new TreeMap<>();
      prepared.graph().inputs().forEach(in -> inputs.put(in.name(), in.tensor().toString()));
      Map<String, String> outputs = new TreeMap<>();
      prepared.graph().outputs().forEach(out -> outputs.put(out.name(), out.tensor().toString()));
      DebugArtifacts artifacts = new DebugArtifacts(debugDirectory, request.modelName());
      artifacts.writeReferenceOnly(prepared.graph(), inputs, outputs);
      writeOpenLengthReference(imported, request, artifacts);
    } catch (IOException e) {
      throw new ConversionException("model '" + request.modelName() + "' (" + request.source() + "): cannot write its reference graph to "
          + debugDirectory + ": " + e.getMessage(), e);
    } catch (ConversionException e) {
      throw new ConversionException("model '" + request.modelName() + "' (" + request.source() + "): " + e.getMessage(), e);
    }
  }

  /**
   * A Keras model whose open sequence length the file keeps open was built at a second length too
   * ({@link TfGraph#lengthProbe}): that build, prepared like the model, is validation's reference at that length.
   */
  private static void writeOpenLengthReference(TfGraph imported, ConversionRequest request, DebugArtifacts debug) throws IOException {
    if (imported.lengthProbe() != null) {
      debug.writeOpenLengthReference(GraphPreparation.prepare(imported.lengthProbe(), request.inputShapes()).graph());
    }
  }

  /** Converts to bytes without writing a file (validation and tests use this). */
  public byte[] convertToBytes(ConversionRequest request) {
    Converted converted = convertInMemory(request, new LinkedHashMap<>(), null);
    ByteBuffer model = converted.bytes();
    byte[] bytes = new byte[model.remaining() + converted.archive().length];
    model.get(bytes, 0, model.remaining());
    System.arraycopy(converted.archive(), 0, bytes, bytes.length - converted.archive().length, converted.archive().length);
    return bytes;
  }

  private ConversionResult run(ConversionRequest request, DebugArtifacts debug) {
    Map<String, Long> times = new LinkedHashMap<>();
    Converted converted = convertInMemory(request, times, debug);
    long start = System.nanoTime();
    try {
      AtomicFiles.write(request.output(), converted.bytes(), ByteBuffer.wrap(converted.archive()));
    } catch (IOException e) {
      throw new ConversionException("cannot write " + request.output() + ": " + e.getMessage() + "; check that the output directory is writable", e);
    }
    times.put("write", (System.nanoTime() - start) / 1_000_000);
    Map<String, Integer> ops = new TreeMap<>();
    for (Operator op : converted.graph().operators()) {
      ops.merge(op.type().name(), 1, Integer::sum);
    }
    return new ConversionResult(request.modelName(), request.output(), request.quantization(), converted.signatureKey(),
        converted.bytes().remaining() + converted.archive().length, converted.floatWeightBytes(), weightBytes(converted.graph()), ops, times,
        converted.floatOps().stream().map(Object::toString).toList(), MinimumRuntime.of(converted.graph()).toString(), converted.graph().notes());
  }

  /**
   * The serialized model with the IR it came from. {@code bytes}: the flatbuffer, a read-only view positioned at its
   * start; {@code archive}: the zip of associated files written right after it (empty without metadata files).
   */
  private record Converted(ByteBuffer bytes, byte[] archive, Graph graph, String signatureKey, long floatWeightBytes,
      List<QuantizationContext.FloatOp> floatOps) {}

  /**
   * Stage times land in {@code times}, and with them "tensorflow": the part of all stages spent inside TensorFlow
   * calls (SavedModel loading, graph import, session runs), which benchmarks set apart from the converter's own work.
   */
  private Converted convertInMemory(ConversionRequest request, Map<String, Long> times, DebugArtifacts debug) {
    TensorFlowTime.takeNanos(); // count this conversion only
    try {
      return convertStages(request, times, debug);
    } finally {
      times.put("tensorflow", TensorFlowTime.takeNanos() / 1_000_000);
    }
  }

  private Converted convertStages(ConversionRequest request, Map<String, Long> times, DebugArtifacts debug) {
    requireSourceFitsFlatBuffer(request);
    if (request.source().getFileName().toString().endsWith(".tflite")) {
      return requantize(request, times, debug);
    }
    TfGraph imported = timed(times, "import", () -> ModelImporter.load(
        new ModelImporter.ImportRequest(request.source(), request.signature(), request.tags(), request.inputShapes())));
    PreparedGraph resizable = timed(times, "prepare", () -> GraphPreparation.prepare(imported, request.inputShapes()));
    PreparedGraph[] chosen = {resizable};
    Graph graph = timed(times, "legalize", () -> {
      try {
        Graph legalized = new Legalizer(registry, unfusedReason(request)).legalize(resizable);
        if (resizable.staticForm() == null || RunTimeShapes.allRead(legalized)) {
          return legalized;
        }
      } catch (ConversionException e) {
        if (resizable.staticForm() == null) {
          throw e;
        }
      }
      // an op takes a shape computed at run time only as a constant: the model is written at its concrete shapes
      chosen[0] = resizable.staticForm();
      return new Legalizer(registry, unfusedReason(request)).legalize(chosen[0]);
    });
    PreparedGraph prepared = chosen[0];
    timed(times, "passes", () -> {
      PassPipeline.standard(request.targetRuntime()).run(graph);
      return null;
    });
    // a Keras open sequence length: a reshape that cannot follow it must not reach the file (other sources keep
    // their behaviour: validation's batch sizes show a reshape fixed at one batch)
    List<String> fixedReshapes = imported.lengthProbe() == null ? List.of() : FixedReshapes.in(graph);
    if (!fixedReshapes.isEmpty()) {
      throw new ConversionException("the model keeps an open dimension (a sequence length, an image size) and an unknown batch, and "
          + fixedReshapes.size() + " reshape(s) can follow only one of them: " + String.join(", ", fixedReshapes)
          + "; set the open dimensions with <inputShapes> (CLI --input-shape)");
    }
    Map<String, String> referenceInputs = new java.util.TreeMap<>();
    prepared.graph().inputs().forEach(in -> referenceInputs.put(in.name(), in.tensor().toString()));
    Map<String, String> referenceOutputs = new java.util.TreeMap<>();
    prepared.graph().outputs().forEach(out -> referenceOutputs.put(out.name(), out.tensor().toString()));
    DebugWriter debugWriter = debug == null ? null : new DebugWriter() {
      public void beforeQuantization(Graph g, String key) throws IOException {
        debug.writeFloat(g, key);
        debug.writeFrozenGraph(prepared.graph());
        writeOpenLengthReference(imported, request, debug);
      }

      public void afterQuantization(Graph g, String key) throws IOException {
        debug.writeDebug(g, key, "tensorflow", referenceInputs, referenceOutputs);
      }
    };
    return quantizeAndWrite(request, times, graph, imported.signatureKey(), () -> calibrate(prepared, graph, request, imported.signatureKey()), debugWriter);
  }

  /**
   * Why a mode writes a kind of recurrent layer unrolled rather than as its sequence builtin (composite kind to reason,
   * null to fuse); none and dynamic-range fuse both kinds, int8 fuses the LSTM (the 2.6 integer sequence-LSTM kernel,
   * quantize/SequenceLstmQuantization). int8 SimpleRNN and int16x8: TensorFlow Lite 2.6 has no such integer kernel,
   * while every unrolled op has one. float16 and weight-only-int8: their weights sit behind DEQUANTIZE ops, which a
   * constant input makes compute once, and TensorFlow Lite 2.6.2 loses those outputs when a batch resize re-plans the
   * fused layer's variable state tensors (measured: 0.099 max abs error after a resize from 1 to 4; 2.18 keeps them).
   */
  private static Function<String, String> unfusedReason(ConversionRequest request) {
    QuantizationMode mode = request.quantization();
    if (mode == QuantizationMode.INT8 && request.quantizationOptions().integerOnly()) {
      return kind -> "int8 with integerOnly (the fused LSTM's zero state is made in float at the run's batch size; the unrolled ops all run integer)";
    }
    if (Boolean.getBoolean(UNROLL_PROPERTY)) {
      return kind -> UNROLL_PROPERTY + "=true";
    }
    return switch (mode) {
      case NONE, DYNAMIC_RANGE -> kind -> null;
      case FLOAT16, WEIGHT_ONLY_INT8 -> kind -> mode.configName() + " (TensorFlow Lite 2.6.2 loses DEQUANTIZE outputs when a batch resize re-plans the"
          + " fused layer's variable states)";
      case INT8 -> kind -> kind.equals(Composites.KERAS_LSTM) ? null
          : "int8 (TensorFlow Lite 2.6 has no integer sequence-RNN kernel; the unrolled ops run integer)";
      case INT16X8 -> kind -> "int16x8 (the 2.6 integer sequence-LSTM kernel takes int8 activations; the unrolled ops run int16)";
    };
  }

  /** Hooks that write the debug artifacts around quantization. */
  private interface DebugWriter {
    void beforeQuantization(Graph graph, String signatureKey) throws IOException;

    void afterQuantization(Graph graph, String signatureKey) throws IOException;
  }

  /** A float .tflite source: read it and quantize only; calibration runs the float model in the interpreter. */
  private Converted requantize(ConversionRequest request, Map<String, Long> times, DebugArtifacts debug) {
    TfliteImporter.Imported imported = timed(times, "import", () -> TfliteImporter.read(request.source()));
    Graph graph = imported.graph();
    Map<String, String> referenceInputs = new java.util.TreeMap<>();
    graph.inputs().forEach((name, t) -> referenceInputs.put(name, name));
    DebugWriter debugWriter = debug == null ? null : new DebugWriter() {
      public void beforeQuantization(Graph g, String key) throws IOException {
        debug.writeFloat(g, key);
        debug.writeReferenceDebug(g, key);
      }

      public void afterQuantization(Graph g, String key) throws IOException {
        debug.writeDebug(g, key, "tflite", referenceInputs, Map.of());
      }
    };
    return quantizeAndWrite(request, times, graph, imported.signatureKey(), () -> TfLiteCalibrator.calibrate(graph, imported.signatureKey(),
        RepresentativeDataset.load(request.quantizationOptions().calibration(), signatureInputs(graph))), debugWriter);
  }

  private Converted quantizeAndWrite(ConversionRequest request, Map<String, Long> times, Graph graph, String signatureKey,
      Supplier<TensorRanges> calibration, DebugWriter debug) {
    long floatWeightBytes = weightBytes(graph);
    if (debug != null) {
      debugStep(() -> debug.beforeQuantization(graph, signatureKey));
    }
    QuantizationContext context = new QuantizationContext(request.quantizationOptions(), request.targetRuntime(),
        () -> timed(times, "calibrate", calibration));
    timed(times, "quantize", () -> { // includes "calibrate", timed on its own too
      request.quantization().quantizer().quantize(graph, context);
      new DeadCodeElimination().run(graph); // float originals of quantized constants
      return null;
    });
    requireUnderFlatBufferLimit(graph, request);
    requireTargetRuntime(graph, request);
    MetadataWriter.Packed metadata = request.metadata() == null ? null
        : timed(times, "metadata", () -> MetadataWriter.build(request.metadata(), shapes(graph.inputs()), shapes(new TreeMap<>(graph.outputs()))));
    ByteBuffer bytes = timed(times, "serialize", () -> FlatBufferWriter.serialize(graph, signatureKey, PRODUCER,
        metadata == null ? null : metadata.metadata()));
    byte[] archive = metadata == null ? new byte[0] : AssociatedFilesArchive.archive(bytes.remaining(), metadata.files());
    if (debug != null) {
      debugStep(() -> debug.afterQuantization(graph, signatureKey));
    }
    return new Converted(bytes, archive, graph, signatureKey, floatWeightBytes, context.floatOps());
  }

  /** Signature names and shapes in the order the writer lays out the subgraph's tensors (metadata is positional). */
  private static Map<String, long[]> shapes(Map<String, Tensor> tensors) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((name, t) -> shapes.put(name, t.shape()));
    return shapes;
  }

  private interface IoStep {
    void run() throws IOException;
  }

  private static void debugStep(IoStep step) {
    try {
      step.run();
    } catch (IOException e) {
      throw new ConversionException("cannot write the debug artifacts for per-layer validation: " + e.getMessage(), e);
    }
  }

  private static List<SignatureTensor> signatureInputs(Graph graph) {
    return graph.inputs().entrySet().stream()
        .map(e -> new SignatureTensor(e.getKey(), TensorName.parse(e.getValue().name()), org.tensorflow.proto.DataType.DT_FLOAT, e.getValue().shape()))
        .toList();
  }

  /** Ranges of every float activation, from the representative dataset run through the float graph. */
  private static TensorRanges calibrate(PreparedGraph prepared, Graph graph, ConversionRequest request, String signatureKey) {
    List<Map<String, float[]>> samples = RepresentativeDataset.load(request.quantizationOptions().calibration(), prepared.graph().inputs());
    TensorRanges ranges = TfLiteCalibrator.calibrate(graph, signatureKey, samples);
    ReferenceCalibration.observe(prepared, graph, samples, ranges);
    return ranges;
  }

  /**
   * A flatbuffer addresses at most 2 GiB. Newer TensorFlow Lite versions place larger buffers after it, but the 2.6
   * runtime cannot read those, so a model over the limit fails here, before serialization is attempted.
   */
  static final long FLATBUFFER_LIMIT = (1L << 31) - (64L << 20);

  /** How much of the float weight bytes a mode keeps: the early estimate of the output size. */
  private static double storedFraction(QuantizationMode mode) {
    return switch (mode) {
      case NONE -> 1.0;
      case FLOAT16 -> 0.5;
      default -> 0.25;
    };
  }

  /** Fails before any work when the source's size alone shows the output cannot fit a flatbuffer. */
  private static void requireSourceFitsFlatBuffer(ConversionRequest request) {
    long sourceBytes;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(request.source())) {
      sourceBytes = files.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return; // unreadable sources are reported by the importer with their own message
    }
    if (sourceBytes * storedFraction(request.quantization()) > FLATBUFFER_LIMIT) {
      throw new ConversionException(String.format(java.util.Locale.ROOT,
          "the source holds %.2f GiB of weights; in mode %s the model would exceed the 2 GiB a TensorFlow Lite flatbuffer can hold (the 2.6"
              + " runtime cannot read weights stored outside it); choose a mode that stores less (dynamic-range or int8: a quarter) or split the model",
          sourceBytes / (double) (1L << 30), request.quantization().configName()));
    }
  }

  private static void requireUnderFlatBufferLimit(Graph graph, ConversionRequest request) {
    long bytes = weightBytes(graph);
    if (bytes > FLATBUFFER_LIMIT) {
      throw new ConversionException(String.format(java.util.Locale.ROOT,
          "the converted weights take %.2f GiB, over the 2 GiB a TensorFlow Lite flatbuffer can hold (the 2.6 runtime cannot read weights stored"
              + " outside it); quantize the model (<quantization>dynamic-range</quantization> or int8 store a quarter, float16 half) or split it",
          bytes / (double) (1L << 30)));
    }
  }

  /** Every op must have a kernel in the target runtime; a model that needs a newer one fails listing what needs it. */
  private static void requireTargetRuntime(Graph graph, ConversionRequest request) {
    List<String> newer = MinimumRuntime.newerThan(graph, request.targetRuntime());
    if (!newer.isEmpty()) {
      throw new ConversionException("the converted model needs a TensorFlow Lite runtime newer than the target " + request.targetRuntime().label()
          + ":\n  " + String.join("\n  ", newer) + "\nRaise <targetRuntime>, or keep these layers in float (<keepFloat>)");
    }
  }

  private static long weightBytes(Graph graph) {
    return graph.tensors().stream().filter(Tensor::isConstant).mapToLong(t -> t.data().byteSize()).sum();
  }

  private static <T> T timed(Map<String, Long> times, String stage, Supplier<T> work) {
    long start = System.nanoTime();
    T result = work.get();
    times.put(stage, (System.nanoTime() - start) / 1_000_000);
    return result;
  }
}
