package dev.tflite.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples from a folder of {@code .npy} files, in file-name order: either one {@code <input>.npy} per input with a
 * leading sample axis, or (single-input models) one file per sample holding the input with or without its batch of 1.
 * Used for calibration data and for validation inputs alike. Problems are {@link IllegalArgumentException}s that name
 * the file.
 */
public final class NpySamples {
  /** A model input: its name and shape (one sample). */
  public record Input(String name, long[] shape) {
    long elements() {
      return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    String fileName() {
      return name.replace('/', '_') + ".npy";
    }
  }

  private NpySamples() {}

  /** Whether the folder holds one {@code <input>.npy} per input. */
  public static boolean perInput(Path dir, List<Input> inputs) {
    return inputs.stream().allMatch(in -> Files.isRegularFile(dir.resolve(in.fileName())));
  }

  public static List<Map<String, float[]>> read(Path dir, List<Input> inputs, int limit) {
    return perInput(dir, inputs) ? perInputFiles(dir, inputs, limit) : perSampleFiles(listNpy(dir, limit), inputs);
  }

  static List<Path> listNpy(Path dir, int limit) {
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> files = list.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().limit(limit).toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException(dir + " holds no .npy files");
      }
      return files;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One sample per file for a single-input model; the file must hold exactly one input's worth of values. */
  public static List<Map<String, float[]>> perSampleFiles(List<Path> files, List<Input> inputs) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("the model has " + inputs.size() + " inputs; put one <input>.npy per input (with a leading sample axis)"
          + " in the folder, named " + inputs.stream().map(Input::fileName).toList());
    }
    Input in = inputs.get(0);
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (Path file : files) {
      samples.add(Map.of(in.name(), one(file, in)));
    }
    return samples;
  }

  /** The values of one sample file, checked against the input's size. */
  public static float[] one(Path file, Input in) {
    NpyReader.NpyArray array = NpyReader.read(file);
    if (array.values().length != in.elements()) {
      throw new IllegalArgumentException(file + " has shape " + Arrays.toString(array.shape()) + ", but input '" + in.name() + "' takes "
          + Arrays.toString(in.shape()));
    }
    return array.values();
  }

  private static List<Map<String, float[]>> perInputFiles(Path dir, List<Input> inputs, int limit) {
    Map<String, float[]> arrays = new LinkedHashMap<>();
    long count = limit;
    for (Input in : inputs) {
      Path file = dir.resolve(in.fileName());
      NpyReader.NpyArray array = NpyReader.read(file);
      long per = in.elements();
      if (array.shape().length == 0 || array.values().length % per != 0 || array.values().length / per != array.shape()[0]) {
        throw new IllegalArgumentException(file + " has shape " + Arrays.toString(array.shape()) + "; for input '" + in.name() + "' of shape "
            + Arrays.toString(in.shape()) + " it needs a leading sample axis: [samples, ...]");
      }
      arrays.put(in.name(), array.values());
      count = Math.min(count, array.values().length / per);
    }
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      Map<String, float[]> sample = new LinkedHashMap<>();
      for (Input in : inputs) {
        int per = (int) in.elements();
        sample.put(in.name(), Arrays.copyOfRange(arrays.get(in.name()), s * per, (s + 1) * per));
      }
      samples.add(sample);
    }
    return samples;
  }
}
