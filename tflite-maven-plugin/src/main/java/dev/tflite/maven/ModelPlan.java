package dev.tflite.maven;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked, immutable view of one {@code <model>}: the requests the converter and the validator get. All
 * configuration problems of all models are collected before any work starts.
 */
record ModelPlan(ConversionRequest conversion, ValidationRequest validation) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  static List<ModelPlan> of(List<ModelConfig> models, File basedir, File outputDirectory) throws ConfigurationProblems {
    List<String> problems = new ArrayList<>();
    if (models == null || models.isEmpty()) {
      throw new ConfigurationProblems(List.of("<models> is empty: add at least one <model> with <name> and <source>"));
    }
    Set<String> names = new HashSet<>();
    List<ModelPlan> plans = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      ModelConfig m = models.get(i);
      String where = "<models>/<model>[" + (i + 1) + "]" + (m.name == null ? "" : " '" + m.name + "'");
      int before = problems.size();
      if (m.name == null || !NAME.matcher(m.name).matches() || m.name.contains("..")) {
        problems.add(where + ": <name>" + (m.name == null ? "" : m.name) + "</name> must be a plain file name (letters, digits, '.', '_', '-'; no path separators)");
      } else if (!names.add(m.name)) {
        problems.add(where + ": <name>" + m.name + "</name> is used by another model; names must be unique");
      }
      if (m.source == null) {
        problems.add(where + ": <source> is missing; set it to a SavedModel directory or a frozen .pb file");
      } else if (!m.source.exists()) {
        problems.add(where + ": <source>" + relative(basedir, m.source) + "</source> does not exist");
      }
      QuantizationMode mode = null;
      try {
        mode = QuantizationMode.fromConfig(m.quantization == null ? "dynamic-range" : m.quantization);
      } catch (ConversionException e) {
        problems.add(where + ": " + e.getMessage());
      }
      if (m.samples < 1) {
        problems.add(where + ": <samples>" + m.samples + "</samples> must be at least 1");
      }
      double min = m.inputRange == null ? 0 : m.inputRange.min;
      double max = m.inputRange == null ? 1 : m.inputRange.max;
      if (!(min < max)) {
        problems.add(where + ": <inputRange> needs <min> below <max>, got " + min + " and " + max);
      }
      Map<String, long[]> shapes = new LinkedHashMap<>();
      if (m.inputShapes != null) {
        m.inputShapes.forEach((input, text) -> {
          try {
            shapes.put(input, parseShape(text));
          } catch (NumberFormatException e) {
            problems.add(where + ": <inputShapes>/<" + input + ">" + text + "</" + input + "> is not a shape; write positive sizes separated by commas, e.g. 1,224,224,3");
          }
        });
      }
      if (problems.size() > before) {
        continue;
      }
      boolean quantized = mode != QuantizationMode.NONE;
      Tolerance tolerance = m.tolerance == null ? Tolerance.defaultFor(quantized)
          : new Tolerance(m.tolerance.maxAbsError, m.tolerance.meanAbsError, m.tolerance.rmse, m.tolerance.minCosineSimilarity);
      List<String> tags = m.tags == null || m.tags.isEmpty() ? List.of("serve") : m.tags;
      Path output = outputDirectory.toPath().resolve(m.name + ".tflite");
      ConversionRequest conversion = new ConversionRequest(m.name, m.source.toPath(), m.signature, tags, mode, shapes, output);
      ValidationRequest validation = new ValidationRequest(m.name, m.source.toPath(), relative(basedir, m.source), tags, output,
          mode.configName(), m.samples, m.seed, min, max, tolerance);
      plans.add(new ModelPlan(conversion, validation));
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationProblems(problems);
    }
    return plans;
  }

  static long[] parseShape(String text) {
    String[] parts = text.trim().split("\\s*,\\s*");
    long[] shape = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shape[i] = Long.parseLong(parts[i]);
      if (shape[i] < 1) {
        throw new NumberFormatException("size " + shape[i]);
      }
    }
    return shape;
  }

  /** The path as the user wrote it relative to the project, with '/' separators: reports hold no absolute paths. */
  static String relative(File basedir, File file) {
    Path base = basedir.toPath().toAbsolutePath().normalize();
    Path path = file.toPath().toAbsolutePath().normalize();
    String text = path.startsWith(base) ? base.relativize(path).toString() : path.getFileName().toString();
    return text.replace(File.separatorChar, '/');
  }

  /** Every configuration problem found, to be reported at once. */
  static final class ConfigurationProblems extends Exception {
    ConfigurationProblems(List<String> problems) {
      super("invalid tflite-maven-plugin configuration (" + problems.size() + " problem(s)):\n  " + String.join("\n  ", problems));
    }
  }
}
