package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.runtime.NpySamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Calibration samples, each a value per signature input, in a deterministic order. From a folder either one {@code
 * .npy} per sample (single-input models; the file holds the input with or without its batch of 1), or one {@code
 * <input>.npy} per input with a leading sample axis; otherwise seeded uniform random values.
 */
public final class RepresentativeDataset {
  private RepresentativeDataset() {}

  public static List<Map<String, float[]>> load(CalibrationSettings settings, List<SignatureTensor> inputs) {
    if (settings.directory() == null) {
      return random(settings, inputs);
    }
    Path dir = settings.directory();
    if (!Files.isDirectory(dir)) {
      throw new ConversionException("calibration directory " + dir + " does not exist; point <calibration><directory> at a folder of .npy files");
    }
    try {
      return NpySamples.read(dir, inputs.stream().map(in -> new NpySamples.Input(in.name(), in.shape())).toList(), settings.samples());
    } catch (IllegalArgumentException e) {
      throw new ConversionException("calibration data: " + e.getMessage(), e);
    }
  }

  private static List<Map<String, float[]>> random(CalibrationSettings settings, List<SignatureTensor> inputs) {
    SplittableRandom random = new SplittableRandom(settings.seed());
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (int s = 0; s < settings.samples(); s++) {
      Map<String, float[]> sample = new LinkedHashMap<>();
      for (SignatureTensor in : inputs) {
        float[] values = new float[(int) Shapes.elementCount(in.shape())];
        boolean integer = in.type() != org.tensorflow.proto.DataType.DT_FLOAT;
        for (int i = 0; i < values.length; i++) {
          double v = settings.min() + random.nextDouble() * (settings.max() - settings.min());
          values[i] = (float) (integer ? Math.floor(v) : v); // token ids: integers in [min, max), as validation draws them
        }
        sample.put(in.name(), values);
      }
      samples.add(sample);
    }
    return samples;
  }
}
