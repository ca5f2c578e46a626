package dev.tflite.validation.run;

import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.ValidationOptions;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Validation samples from a folder of .npy files or images, in file-name order, at most {@code limit} of them. */
public final class InputFolderReader {
  private InputFolderReader() {}

  public static List<NamedTensors> read(ValidationOptions.InputFolder folder, TfLiteRunner.Port[] inputs, int limit) {
    Path dir = folder.directory();
    if (!Files.isDirectory(dir)) {
      throw new ValidationException("input folder " + dir + " does not exist; point <inputs><directory> at a folder of .npy files or images");
    }
    boolean perInput = Arrays.stream(inputs).allMatch(p -> Files.isRegularFile(dir.resolve(p.name().replace('/', '_') + ".npy")));
    if (perInput) {
      return perInputArrays(dir, inputs, limit);
    }
    if (inputs.length != 1) {
      throw new ValidationException("the model has " + inputs.length + " inputs; put one <input>.npy per input (leading sample axis) in " + dir);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(npy|png|jpe?g|bmp)")).sorted().limit(limit).toList();
    } catch (IOException e) {
      throw new ValidationException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ValidationException("input folder " + dir + " holds no .npy, .png, .jpg or .bmp files");
    }
    TfLiteRunner.Port port = inputs[0];
    long[] shape = Arrays.stream(port.shape()).asLongStream().toArray();
    List<NamedTensors> samples = new ArrayList<>();
    for (Path file : files) {
      float[] values = file.toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? npy(file, port) : image(file, port, folder);
      samples.add(new NamedTensors().put(port.name(), new NamedTensors.FloatTensor(shape, values)));
    }
    return samples;
  }

  private static float[] npy(Path file, TfLiteRunner.Port port) {
    NpyReader.NpyArray array;
    try {
      array = NpyReader.read(file);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("validation input " + e.getMessage(), e);
    }
    int expected = Arrays.stream(port.shape()).reduce(1, (a, b) -> a * b);
    if (array.values().length != expected) {
      throw new ValidationException("validation input " + file + " has shape " + Arrays.toString(array.shape()) + ", but input '" + port.name()
          + "' takes " + Arrays.toString(port.shape()));
    }
    return array.values();
  }

  /** An image resized (bilinear) to the input's [1, H, W, C] and normalised; C is 1 (gray) or 3 (RGB). */
  private static float[] image(Path file, TfLiteRunner.Port port, ValidationOptions.InputFolder folder) {
    int[] s = port.shape();
    if (s.length != 4 || (s[3] != 1 && s[3] != 3)) {
      throw new ValidationException("input '" + port.name() + "' has shape " + Arrays.toString(s) + "; images need [1, height, width, 1 or 3]");
    }
    BufferedImage source;
    try {
      source = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new ValidationException("cannot read image " + file + ": " + e.getMessage(), e);
    }
    if (source == null) {
      throw new ValidationException(file + " is not an image Java can read (PNG, JPEG, BMP)");
    }
    int h = s[1];
    int w = s[2];
    BufferedImage resized = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = resized.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(source, 0, 0, w, h, null);
    g.dispose();
    float[] values = new float[h * w * s[3]];
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = resized.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int gr = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (s[3] == 1) {
          values[i++] = (float) ((0.299 * r + 0.587 * gr + 0.114 * b) * folder.imageScale() + folder.imageOffset());
        } else {
          values[i++] = (float) (r * folder.imageScale() + folder.imageOffset());
          values[i++] = (float) (gr * folder.imageScale() + folder.imageOffset());
          values[i++] = (float) (b * folder.imageScale() + folder.imageOffset());
        }
      }
    }
    return values;
  }

  private static List<NamedTensors> perInputArrays(Path dir, TfLiteRunner.Port[] inputs, int limit) {
    List<NamedTensors> samples = new ArrayList<>();
    List<NpyReader.NpyArray> arrays = new ArrayList<>();
    int count = limit;
    for (TfLiteRunner.Port p : inputs) {
      NpyReader.NpyArray a = NpyReader.read(dir.resolve(p.name().replace('/', '_') + ".npy"));
      int per = Arrays.stream(p.shape()).reduce(1, (x, y) -> x * y);
      if (a.values().length % per != 0) {
        throw new ValidationException(dir.resolve(p.name() + ".npy") + " has shape " + Arrays.toString(a.shape()) + "; input '" + p.name()
            + "' needs [samples] + " + Arrays.toString(p.shape()));
      }
      arrays.add(a);
      count = Math.min(count, a.values().length / per);
    }
    for (int s = 0; s < count; s++) {
      NamedTensors sample = new NamedTensors();
      for (int i = 0; i < inputs.length; i++) {
        int per = Arrays.stream(inputs[i].shape()).reduce(1, (x, y) -> x * y);
        sample.put(inputs[i].name(), new NamedTensors.FloatTensor(Arrays.stream(inputs[i].shape()).asLongStream().toArray(),
            Arrays.copyOfRange(arrays.get(i).values(), s * per, (s + 1) * per)));
      }
      samples.add(sample);
    }
    return samples;
  }
}
