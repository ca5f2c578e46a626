package dev.tflite.maven;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.validation.ValidationOptions;
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
record ModelPlan(ConversionRequest conversion, ValidationRequest validation, Map<String, Tolerance> outputTolerances, boolean fallback,
    int fallbackLimit, ValidationOptions.InputFolder inputs, ValidationOptions.Golden golden, List<Integer> batchSizes, int oldestRuntimeSamples) {
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
      // validation inputs default to the calibration range, so both see the data the model is meant for
      ModelConfig.InputRange range = m.inputRange != null ? m.inputRange : m.calibration != null ? m.calibration.inputRange : null;
      double min = range == null ? 0 : range.min;
      double max = range == null ? 1 : range.max;
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
      QuantizationOptions quantizationOptions = quantizationOptions(m, where, mode, problems);
      if (m.onDrift != null && !List.of("fail", "fallback").contains(m.onDrift)) {
        problems.add(where + ": <onDrift>" + m.onDrift + "</onDrift> is not a choice; use fail or fallback");
      }
      ValidationOptions.InputFolder inputs = null;
      if (m.inputs != null) {
        if (m.inputs.directory == null || !m.inputs.directory.isDirectory()) {
          problems.add(where + ": <inputs>/<directory>" + m.inputs.directory + "</directory> is not a directory of .npy files or images");
        } else {
          inputs = new ValidationOptions.InputFolder(m.inputs.directory.toPath(), m.inputs.imageScale, m.inputs.imageOffset);
        }
      }
      ValidationOptions.Golden golden = null;
      if (m.golden != null) {
        if (m.golden.directory == null || !List.of("record", "check").contains(m.golden.mode)) {
          problems.add(where + ": <golden> needs a <directory> and <mode>record</mode> or <mode>check</mode>, got " + m.golden.mode);
        } else {
          golden = new ValidationOptions.Golden(m.golden.directory.toPath().resolve(m.name == null ? "model" : m.name),
              m.golden.mode.equals("record") ? ValidationOptions.Golden.Mode.RECORD : ValidationOptions.Golden.Mode.CHECK);
        }
      }
      if (m.batchSizes != null && m.batchSizes.stream().anyMatch(b -> b == null || b < 1)) {
        problems.add(where + ": <batchSizes> " + m.batchSizes + " must all be at least 1");
      }
      if (m.oldestRuntimeSamples < 0) {
        problems.add(where + ": <oldestRuntimeSamples>" + m.oldestRuntimeSamples + "</oldestRuntimeSamples> must be 0 or more");
      }
      if (m.fallbackLimit < 1) {
        problems.add(where + ": <fallbackLimit>" + m.fallbackLimit + "</fallbackLimit> must be at least 1");
      }
      if (problems.size() > before) {
        continue;
      }
      boolean quantized = mode != QuantizationMode.NONE;
      Tolerance tolerance = m.tolerance == null ? Tolerance.defaultFor(quantized) : tolerance(m.tolerance);
      Map<String, Tolerance> outputTolerances = new java.util.TreeMap<>();
      if (m.outputTolerances != null) {
        m.outputTolerances.forEach((output, t) -> outputTolerances.put(output, tolerance(t)));
      }
      List<String> tags = m.tags == null || m.tags.isEmpty() ? List.of("serve") : m.tags;
      Path output = outputDirectory.toPath().resolve(m.name + ".tflite");
      ConversionRequest conversion = new ConversionRequest(m.name, m.source.toPath(), m.signature, tags, mode, quantizationOptions, shapes, output);
      ValidationRequest validation = new ValidationRequest(m.name, m.source.toPath(), relative(basedir, m.source), tags, output,
          mode.configName(), m.samples, m.seed, min, max, tolerance);
      plans.add(new ModelPlan(conversion, validation, outputTolerances, "fallback".equals(m.onDrift), m.fallbackLimit, inputs, golden,
          m.batchSizes == null || m.batchSizes.isEmpty() ? List.of(1) : List.copyOf(m.batchSizes), m.oldestRuntimeSamples));
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationProblems(problems);
    }
    return plans;
  }

  private static QuantizationOptions quantizationOptions(ModelConfig m, String where, QuantizationMode mode, List<String> problems) {
    IoType inputType = IoType.FLOAT32;
    IoType outputType = IoType.FLOAT32;
    try {
      inputType = IoType.fromConfig("inputType", m.inputType == null ? "float" : m.inputType);
      outputType = IoType.fromConfig("outputType", m.outputType == null ? "float" : m.outputType);
    } catch (ConversionException e) {
      problems.add(where + ": " + e.getMessage());
    }
    if ((inputType != IoType.FLOAT32 || outputType != IoType.FLOAT32) && mode != QuantizationMode.INT8) {
      problems.add(where + ": <inputType>/<outputType> other than float need <quantization>int8</quantization>");
    }
    Set<String> opTypes = new java.util.TreeSet<>();
    List<Pattern> nodes = new ArrayList<>();
    if (m.keepFloat != null) {
      for (String op : m.keepFloat.opTypes == null ? List.<String>of() : m.keepFloat.opTypes) {
        String name = op.trim().toUpperCase(java.util.Locale.ROOT);
        if (java.util.Arrays.stream(OpType.values()).noneMatch(t -> t.name().equals(name))) {
          problems.add(where + ": <keepFloat>/<opType>" + op + "</opType> is not a TensorFlow Lite op this converter emits; choose from "
              + java.util.Arrays.toString(OpType.values()));
        }
        opTypes.add(name);
      }
      for (String node : m.keepFloat.nodes == null ? List.<String>of() : m.keepFloat.nodes) {
        try {
          nodes.add(Pattern.compile(node));
        } catch (java.util.regex.PatternSyntaxException e) {
          problems.add(where + ": <keepFloat>/<node>" + node + "</node> is not a regular expression: " + e.getDescription());
        }
      }
    }
    CalibrationSettings calibration = CalibrationSettings.randomDefault();
    if (m.calibration != null) {
      ModelConfig.Calibration c = m.calibration;
      if (c.directory != null && !c.directory.isDirectory()) {
        problems.add(where + ": <calibration>/<directory>" + c.directory + "</directory> is not a directory");
      }
      if (c.samples < 1) {
        problems.add(where + ": <calibration>/<samples>" + c.samples + "</samples> must be at least 1");
      }
      double min = c.inputRange == null ? 0 : c.inputRange.min;
      double max = c.inputRange == null ? 1 : c.inputRange.max;
      calibration = new CalibrationSettings(c.directory == null ? null : c.directory.toPath(), c.samples, c.seed, min, max);
    }
    return new QuantizationOptions(m.perChannel, inputType, outputType, opTypes, nodes, m.integerOnly, calibration);
  }

  ValidationOptions validationOptions(Path debugDirectory) {
    return new ValidationOptions(debugDirectory, outputTolerances, inputs, golden, batchSizes, oldestRuntimeSamples);
  }

  private static Tolerance tolerance(ModelConfig.ToleranceConfig t) {
    return new Tolerance(t.maxAbsError, t.meanAbsError, t.rmse, t.p99AbsError, t.relativeError, t.minCosineSimilarity, t.minSnrDb,
        t.minTop1Agreement, t.maxAbsErrorInSteps);
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
