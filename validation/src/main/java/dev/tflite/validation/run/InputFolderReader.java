package dev.tflite.validation.run;

import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpySamples;
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
    List<NpySamples.Input> npyInputs = Arrays.stream(inputs)
        .map(p -> new NpySamples.Input(p.name(), Arrays.stream(p.shape()).asLongStream().toArray())).toList();
    try {
      if (NpySamples.perInput(dir, npyInputs)) {
        return NpySamples.read(dir, npyInputs, limit).stream().map(sample -> toNamed(sample, inputs)).toList();
      }
      if (inputs.length != 1) {
        throw new ValidationException("the model has " + inputs.length + " inputs; put one <input>.npy per input (leading sample axis) in " + dir);
      }
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(npy|png|jpe?g|bmp)")).sorted().limit(limit).toList();
      }
      if (files.isEmpty()) {
        throw new ValidationException("input folder " + dir + " holds no .npy, .png, .jpg or .bmp files");
      }
      TfLiteRunner.Port port = inputs[0];
      List<NamedTensors> samples = new ArrayList<>();
      for (Path file : files) {
        float[] values = file.toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? NpySamples.one(file, npyInputs.get(0)) : image(file, port, folder);
        samples.add(toNamed(java.util.Map.of(port.name(), values), inputs));
      }
      return samples;
    } catch (IllegalArgumentException e) {
      throw new ValidationException("validation input " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ValidationException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static NamedTensors toNamed(java.util.Map<String, float[]> sample, TfLiteRunner.Port[] inputs) {
    NamedTensors named = new NamedTensors();
    for (TfLiteRunner.Port p : inputs) {
      named.put(p.name(), new NamedTensors.FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), sample.get(p.name())));
    }
    return named;
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
}
