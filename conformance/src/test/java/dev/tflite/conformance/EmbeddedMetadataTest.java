package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.convert.write.metadata.MetadataException;
import dev.tflite.convert.write.metadata.MetadataProblem;
import dev.tflite.convert.write.metadata.MetadataSpec;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.testmodels.MobileNetStyle;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.lite.support.metadata.MetadataExtractor;
import org.tensorflow.lite.support.metadata.schema.AssociatedFileType;
import org.tensorflow.lite.support.metadata.schema.ColorSpaceType;
import org.tensorflow.lite.support.metadata.schema.ContentProperties;
import org.tensorflow.lite.support.metadata.schema.ImageProperties;
import org.tensorflow.lite.support.metadata.schema.ModelMetadata;
import org.tensorflow.lite.support.metadata.schema.NormalizationOptions;
import org.tensorflow.lite.support.metadata.schema.ProcessUnitOptions;
import org.tensorflow.lite.support.metadata.schema.TensorMetadata;

/**
 * TensorFlow Lite metadata written into converted files, read back the way app tooling reads it: the support
 * library's MetadataExtractor (model info, normalization, color space, labels as an associated file), plain zip
 * readers, and both interpreters (2.6.2, the oldest supported, and 2.18), which must load the file and compute the same
 * outputs as without metadata: the metadata is a side buffer and a zip after the flatbuffer, never part of the graph.
 */
class EmbeddedMetadataTest {
  static final int CLASSES = 5;
  static final String LABELS = "daisy\ndandelion\nroses\nsunflowers\ntulips\n";

  @TempDir
  static Path dir;
  static Path model;
  static Path labels;

  @BeforeAll
  static void export() throws Exception {
    model = MobileNetStyle.export(dir.resolve("classifier"), 32, 1, CLASSES);
    labels = Files.writeString(dir.resolve("labels.txt"), LABELS);
  }

  static MetadataSpec spec(Path labelsFile, float[] mean) {
    return new MetadataSpec("Flower classifier", "Five flower classes from a 32x32 RGB image", "1.1", "tflite-maven-plugin tests", "Apache-2.0",
        List.of(new MetadataSpec.InputInfo("image", MetadataSpec.Content.IMAGE, MetadataSpec.ColorSpace.RGB, mean, new float[] {127.5f},
            new MetadataSpec.Range(0, 255), 0)),
        List.of(new MetadataSpec.OutputInfo("predictions", MetadataSpec.Content.FEATURES, labelsFile, new MetadataSpec.Range(0, 1))));
  }

  static ConversionRequest request(QuantizationMode mode, Path output, MetadataSpec metadata) {
    QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 16, 3, 0, 1));
    return ConversionRequest.of("classifier", model, mode, output).withQuantization(mode, options).withMetadata(metadata);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(QuantizationMode.class)
  void extractorReadsWhatWasWrittenInEveryMode(QuantizationMode mode) throws Exception {
    Path withMetadata = dir.resolve(mode.configName() + ".tflite");
    Path plain = dir.resolve(mode.configName() + ".plain.tflite");
    new TfliteConverter().convert(request(mode, withMetadata, spec(labels, new float[] {127.5f, 127.5f, 127.5f})));
    new TfliteConverter().convert(request(mode, plain, null));

    MetadataExtractor extractor = new MetadataExtractor(ByteBuffer.wrap(Files.readAllBytes(withMetadata)));
    assertTrue(extractor.hasMetadata());
    assertTrue(extractor.isMinimumParserVersionSatisfied());
    ModelMetadata m = extractor.getModelMetadata();
    assertEquals("Flower classifier", m.name());
    assertEquals("1.1", m.version());
    assertEquals("tflite-maven-plugin tests", m.author());
    assertEquals("Apache-2.0", m.license());
    assertEquals("1.0.0", m.minParserVersion());
    assertEquals(1, extractor.getInputTensorCount());
    TensorMetadata image = extractor.getInputTensorMetadata(0);
    assertEquals("image", image.name());
    assertEquals(ContentProperties.ImageProperties, image.content().contentPropertiesType());
    ImageProperties properties = (ImageProperties) image.content().contentProperties(new ImageProperties());
    assertEquals(ColorSpaceType.RGB, properties.colorSpace());
    assertEquals(ProcessUnitOptions.NormalizationOptions, image.processUnits(0).optionsType());
    NormalizationOptions normalization = (NormalizationOptions) image.processUnits(0).options(new NormalizationOptions());
    assertEquals(3, normalization.meanLength());
    assertEquals(127.5f, normalization.mean(2));
    assertEquals(127.5f, normalization.std(0));
    assertEquals(0f, image.stats().min(0));
    assertEquals(255f, image.stats().max(0));
    TensorMetadata predictions = extractor.getOutputTensorMetadata(0);
    assertEquals("predictions", predictions.name());
    assertEquals("labels.txt", predictions.associatedFiles(0).name());
    assertEquals(AssociatedFileType.TENSOR_AXIS_LABELS, predictions.associatedFiles(0).type());
    assertEquals(Set.of("labels.txt"), extractor.getAssociatedFileNames());
    try (InputStream in = extractor.getAssociatedFile("labels.txt")) {
      assertArrayEquals(Files.readAllBytes(labels), in.readAllBytes());
    }
    // the shape the extractor reports is the model's own, so the labels line up with the classes
    assertEquals(CLASSES, extractor.getOutputTensorShape(0)[1]);
    // a plain zip reader (what the Android build and unzip use) sees the same entry
    try (ZipFile zip = new ZipFile(withMetadata.toFile())) {
      assertEquals(LABELS, new String(zip.getInputStream(zip.getEntry("labels.txt")).readAllBytes(), StandardCharsets.UTF_8));
    }

    // Both runtimes load the file, and compute exactly what the file without metadata computes: same graph, same
    // kernels, so the outputs are bit-identical (no tolerance is needed, any difference would be a writer bug).
    NamedTensors input = new NamedTensors().put("image", new NamedTensors.FloatTensor(new long[] {1, 32, 32, 3}, random(32 * 32 * 3)));
    try (TfLiteRunner a = new TfLiteRunner(withMetadata); TfLiteRunner b = new TfLiteRunner(plain)) {
      assertArrayEquals(b.run(input).get("predictions").values(), a.run(input).get("predictions").values());
    }
    try (TfLite26Runner a = new TfLite26Runner(withMetadata, 1); TfLite26Runner b = new TfLite26Runner(plain, 1)) {
      assertArrayEquals(b.run(input).get("predictions").values(), a.run(input).get("predictions").values());
    }
  }

  @Test
  void sameInputsGiveByteIdenticalFiles() throws Exception {
    Path first = dir.resolve("first.tflite");
    Path second = dir.resolve("second.tflite");
    new TfliteConverter().convert(request(QuantizationMode.DYNAMIC_RANGE, first, spec(labels, new float[] {127.5f})));
    new TfliteConverter().convert(request(QuantizationMode.DYNAMIC_RANGE, second, spec(labels, new float[] {127.5f})));
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void settingsThatDoNotFitTheModelAreListedTogether() throws Exception {
    Path fourLabels = Files.writeString(dir.resolve("four.txt"), "a\nb\nc\nd\n");
    MetadataSpec bad = new MetadataSpec(null, null, null, null, null,
        List.of(new MetadataSpec.InputInfo("image", MetadataSpec.Content.IMAGE, MetadataSpec.ColorSpace.GRAYSCALE, new float[] {1, 2}, null, null, 0),
            new MetadataSpec.InputInfo("pixels", null, null, null, null, null, 0)),
        List.of(new MetadataSpec.OutputInfo("predictions", null, fourLabels, null)));
    Path out = dir.resolve("bad.tflite");
    MetadataException e = assertThrows(MetadataException.class, () -> new TfliteConverter().convert(request(QuantizationMode.NONE, out, bad)));
    List<MetadataProblem.Field> fields = e.problems().stream().map(MetadataProblem::field).toList();
    assertEquals(List.of(MetadataProblem.Field.INPUT_NAME, MetadataProblem.Field.COLOR_SPACE, MetadataProblem.Field.MEAN,
        MetadataProblem.Field.LABELS), fields, e.problems().toString());
    assertTrue(e.problems().get(3).problem().contains("has 4 lines but output 'predictions' has 5 classes"), e.problems().get(3).problem());
    assertTrue(!Files.exists(out), "no file is written for a configuration that does not fit");
  }

  static float[] random(int n) {
    SplittableRandom r = new SplittableRandom(11);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble();
    }
    return v;
  }
}
