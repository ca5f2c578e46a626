package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.runtime.NpyReader;
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
    boolean perInput = inputs.stream().allMatch(in -> Files.isRegularFile(dir.resolve(fileName(in) + ".npy")));
    return perInput ? perInputFiles(settings, dir, inputs) : perSampleFiles(settings, dir, inputs);
  }

  private static String fileName(SignatureTensor input) {
    return input.name().replace('/', '_');
  }

  private static List<Map<String, float[]>> random(CalibrationSettings settings, List<SignatureTensor> inputs) {
    SplittableRandom random = new SplittableRandom(settings.seed());
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (int s = 0; s < settings.samples(); s++) {
      Map<String, float[]> sample = new LinkedHashMap<>();
      for (SignatureTensor in : inputs) {
        float[] values = new float[(int) Shapes.elementCount(in.shape())];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (settings.min() + random.nextDouble() * (settings.max() - settings.min()));
        }
        sample.put(in.name(), values);
      }
      samples.add(sample);
    }
    return samples;
  }

  private static List<Map<String, float[]>> perSampleFiles(CalibrationSettings settings, Path dir, List<SignatureTensor> inputs) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().limit(settings.samples()).toList();
    } catch (IOException e) {
      throw new ConversionException("cannot list calibration directory " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ConversionException("calibration directory " + dir + " holds no .npy files");
    }
    if (inputs.size() != 1) {
      throw new ConversionException("the model has " + inputs.size() + " inputs; put one <input>.npy per input (with a leading sample axis) in " + dir
          + ", named " + inputs.stream().map(i -> fileName(i) + ".npy").toList());
    }
    SignatureTensor in = inputs.get(0);
    long expected = Shapes.elementCount(in.shape());
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (Path file : files) {
      NpyReader.NpyArray array = read(file);
      if (array.values().length != expected) {
        throw new ConversionException("calibration sample " + file + " has shape " + Arrays.toString(array.shape()) + ", but input '" + in.name()
            + "' takes " + Arrays.toString(in.shape()));
      }
      samples.add(Map.of(in.name(), array.values()));
    }
    return samples;
  }

  private static NpyReader.NpyArray read(Path file) {
    try {
      return NpyReader.read(file);
    } catch (IllegalArgumentException e) {
      throw new ConversionException("calibration data: " + e.getMessage(), e);
    }
  }

  private static List<Map<String, float[]>> perInputFiles(CalibrationSettings settings, Path dir, List<SignatureTensor> inputs) {
    Map<String, NpyReader.NpyArray> arrays = new LinkedHashMap<>();
    int count = Integer.MAX_VALUE;
    for (SignatureTensor in : inputs) {
      Path file = dir.resolve(fileName(in) + ".npy");
      NpyReader.NpyArray array = read(file);
      long per = Shapes.elementCount(in.shape());
      if (array.shape().length == 0 || array.values().length % per != 0 || array.values().length / per != array.shape()[0]) {
        throw new ConversionException("calibration file " + file + " has shape " + Arrays.toString(array.shape()) + "; for input '" + in.name()
            + "' of shape " + Arrays.toString(in.shape()) + " it needs a leading sample axis: [samples, ...]");
      }
      arrays.put(in.name(), array);
      count = Math.min(count, (int) (array.values().length / per));
    }
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (int s = 0; s < Math.min(count, settings.samples()); s++) {
      Map<String, float[]> sample = new LinkedHashMap<>();
      for (SignatureTensor in : inputs) {
        int per = (int) Shapes.elementCount(in.shape());
        sample.put(in.name(), Arrays.copyOfRange(arrays.get(in.name()).values(), s * per, (s + 1) * per));
      }
      samples.add(sample);
    }
    return samples;
  }
}
