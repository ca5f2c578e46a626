package dev.tflite.pipeline;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.convert.target.TargetRuntime;
import dev.tflite.convert.write.metadata.MetadataSpec;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks model specs and turns them into plans. Every problem of every model is collected, spelled the way the front
 * end's users write the setting, and reported at once; no work starts on a bad configuration.
 */
public final class ModelPlanner {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Spelling spelling;
  private final String tool;

  /** {@code tool} names the front end in the problem summary, e.g. {@code tflite-maven-plugin}. */
  public ModelPlanner(Spelling spelling, String tool) {
    this.spelling = spelling;
    this.tool = tool;
  }

  /** Plans for all models; {@code basedir} anchors report paths, {@code outputDirectory} receives {@code <name>.tflite}. */
  public List<ModelPlan> plan(List<ModelSpec> models, Path basedir, Path outputDirectory) throws ConfigurationProblems {
    List<String> problems = new ArrayList<>();
    if (models == null || models.isEmpty()) {
      throw new ConfigurationProblems(tool, List.of(spelling.setting(Setting.MODELS) + " is empty: configure at least one model with a "
          + spelling.setting(Setting.NAME) + " and a " + spelling.setting(Setting.SOURCE)));
    }
    Set<String> names = new HashSet<>();
    List<ModelPlan> plans = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      ModelSpec m = models.get(i);
      Problems p = new Problems(spelling.model(i + 1, m.name), problems);
      int before = problems.size();
      if (m.name == null || !NAME.matcher(m.name).matches() || m.name.contains("..")) {
        p.add(spelling.value(Setting.NAME, m.name == null ? "" : m.name) + " must be a plain file name (letters, digits, '.', '_', '-'; no path separators)");
      } else if (!names.add(m.name)) {
        p.add(spelling.value(Setting.NAME, m.name) + " is used by another model; names must be unique");
      }
      if (m.source == null) {
        p.add(spelling.setting(Setting.SOURCE) + " is missing; set it to a SavedModel directory, a frozen .pb, a Keras .h5/.keras file or a float .tflite");
      } else if (!Files.exists(m.source)) {
        p.add(spelling.value(Setting.SOURCE, relative(basedir, m.source)) + " does not exist");
      }
      QuantizationMode mode = null;
      String modeName = m.quantization == null ? "dynamic-range" : m.quantization;
      try {
        mode = QuantizationMode.fromConfig(modeName);
      } catch (ConversionException e) {
        p.add(spelling.value(Setting.QUANTIZATION, modeName) + " is not a quantization mode; choose one of " + QuantizationMode.choices());
      }
      if (m.samples < 1) {
        p.add(spelling.value(Setting.SAMPLES, m.samples) + " must be at least 1");
      }
      // validation inputs default to the calibration range, so both see the data the model is meant for
      ModelSpec.Range range = m.inputRange != null ? m.inputRange : m.calibration != null ? m.calibration.range() : null;
      double min = range == null ? 0 : range.min();
      double max = range == null ? 1 : range.max();
      if (!(min < max)) {
        p.add(spelling.setting(Setting.INPUT_RANGE) + " needs its minimum below its maximum, got " + min + " and " + max);
      }
      Map<String, long[]> shapes = new LinkedHashMap<>();
      if (m.inputShapes != null) {
        m.inputShapes.forEach((input, text) -> {
          try {
            shapes.put(input, parseShape(text));
          } catch (NumberFormatException e) {
            p.add(spelling.value(Setting.INPUT_SHAPES, input, text) + " is not a shape; write positive sizes separated by commas, e.g. 1,224,224,3"
                + " (-1 keeps an unknown dimension dynamic, e.g. -1,50,8)");
          }
        });
      }
      QuantizationOptions quantizationOptions = quantizationOptions(m, mode, p);
      if (m.onDrift != null && !List.of("fail", "fallback").contains(m.onDrift)) {
        p.add(spelling.value(Setting.ON_DRIFT, m.onDrift) + " is not a choice; use fail or fallback");
      }
      ValidationOptions.InputFolder inputs = null;
      if (m.inputs != null) {
        if (m.inputs.directory() == null || !Files.isDirectory(m.inputs.directory())) {
          p.add(spelling.value(Setting.INPUTS_DIRECTORY, m.inputs.directory()) + " is not a directory of .npy files or images");
        } else {
          inputs = new ValidationOptions.InputFolder(m.inputs.directory(), m.inputs.imageScale(), m.inputs.imageOffset());
        }
      }
      ValidationOptions.Golden golden = null;
      if (m.golden != null) {
        if (m.golden.directory() == null || !List.of("record", "check").contains(m.golden.mode())) {
          p.add(spelling.setting(Setting.GOLDEN) + " needs a directory and the mode record or check, got " + m.golden.mode());
        } else {
          golden = new ValidationOptions.Golden(m.golden.directory().resolve(m.name == null ? "model" : m.name),
              m.golden.mode().equals("record") ? ValidationOptions.Golden.Mode.RECORD : ValidationOptions.Golden.Mode.CHECK);
        }
      }
      if (m.batchSizes != null && m.batchSizes.stream().anyMatch(b -> b == null || b < 1)) {
        p.add(spelling.value(Setting.BATCH_SIZES, m.batchSizes) + " must all be at least 1");
      }
      if (m.oldestRuntimeSamples < 0) {
        p.add(spelling.value(Setting.OLDEST_RUNTIME_SAMPLES, m.oldestRuntimeSamples) + " must be 0 or more");
      }
      if (m.fallbackLimit < 1) {
        p.add(spelling.value(Setting.FALLBACK_LIMIT, m.fallbackLimit) + " must be at least 1");
      }
      MetadataSpec metadata = new MetadataPlanner(spelling).plan(m.metadata, basedir, p::add);
      if (m.baselineTolerance != null && m.baseline == null && m.baselineLabel == null) {
        p.add(spelling.setting(Setting.BASELINE_TOLERANCE) + " needs a " + spelling.setting(Setting.BASELINE) + ": the previous release's .tflite");
      }
      if (m.baseline != null && Files.isDirectory(m.baseline)) {
        p.add(spelling.value(Setting.BASELINE, relative(basedir, m.baseline)) + " is a directory; give the previous release's .tflite file");
      }
      if (problems.size() > before) {
        continue;
      }
      Tolerance tolerance = m.tolerance == null ? Tolerance.defaultFor(mode.configName()) : m.tolerance;
      Map<String, Tolerance> outputTolerances = new TreeMap<>(m.outputTolerances == null ? Map.of() : m.outputTolerances);
      List<String> tags = m.tags == null || m.tags.isEmpty() ? List.of("serve") : List.copyOf(m.tags);
      Path output = m.output != null ? m.output : outputDirectory.resolve(m.name + ".tflite");
      TargetRuntime target;
      try {
        target = TargetRuntime.parse(m.targetRuntime);
      } catch (ConversionException e) {
        p.add(spelling.setting(Setting.TARGET_RUNTIME) + ": " + e.getMessage());
        continue;
      }
      ConversionRequest conversion = new ConversionRequest(m.name, m.source, m.signature, tags, mode, quantizationOptions, shapes, output, target,
          metadata);
      ValidationRequest validation = new ValidationRequest(m.name, m.source, relative(basedir, m.source), tags, output,
          mode.configName(), m.samples, m.seed, min, max, tolerance);
      plans.add(new ModelPlan(conversion, validation, outputTolerances, "fallback".equals(m.onDrift), m.fallbackLimit, inputs, golden,
          m.batchSizes == null || m.batchSizes.isEmpty() ? List.of(1) : List.copyOf(m.batchSizes), m.oldestRuntimeSamples,
          m.baseline == null ? null : new ModelPlan.Baseline(m.baseline,
              m.baselineLabel != null ? m.baselineLabel : relative(basedir, m.baseline), m.baselineTolerance)));
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationProblems(tool, problems);
    }
    return plans;
  }

  /** The problems of one model, each prefixed with where the model is configured. */
  private record Problems(String where, List<String> all) {
    void add(String problem) {
      all.add(where + ": " + problem);
    }
  }

  private QuantizationOptions quantizationOptions(ModelSpec m, QuantizationMode mode, Problems p) {
    IoType inputType = ioType(Setting.INPUT_TYPE, m.inputType, p);
    IoType outputType = ioType(Setting.OUTPUT_TYPE, m.outputType, p);
    if ((inputType != IoType.FLOAT32 || outputType != IoType.FLOAT32) && mode != QuantizationMode.INT8) {
      p.add(spelling.setting(Setting.INPUT_TYPE) + "/" + spelling.setting(Setting.OUTPUT_TYPE) + " other than float need "
          + spelling.value(Setting.QUANTIZATION, "int8"));
    }
    Set<String> opTypes = new TreeSet<>();
    for (String op : m.keepFloatOpTypes == null ? List.<String>of() : m.keepFloatOpTypes) {
      String name = op.trim().toUpperCase(Locale.ROOT);
      if (Arrays.stream(OpType.values()).noneMatch(t -> t.name().equals(name))) {
        p.add(spelling.value(Setting.KEEP_FLOAT_OP_TYPE, op) + " is not a TensorFlow Lite op this converter emits; choose from "
            + Arrays.toString(OpType.values()));
      }
      opTypes.add(name);
    }
    List<Pattern> nodes = new ArrayList<>();
    for (String node : m.keepFloatNodes == null ? List.<String>of() : m.keepFloatNodes) {
      try {
        nodes.add(Pattern.compile(node));
      } catch (PatternSyntaxException e) {
        p.add(spelling.value(Setting.KEEP_FLOAT_NODE, node) + " is not a regular expression: " + e.getDescription());
      }
    }
    CalibrationSettings calibration = CalibrationSettings.randomDefault();
    if (m.calibration != null) {
      ModelSpec.Calibration c = m.calibration;
      if (c.directory() != null && !Files.isDirectory(c.directory())) {
        p.add(spelling.value(Setting.CALIBRATION_DIRECTORY, c.directory()) + " is not a directory");
      }
      if (c.samples() < 1) {
        p.add(spelling.value(Setting.CALIBRATION_SAMPLES, c.samples()) + " must be at least 1");
      }
      double min = c.range() == null ? 0 : c.range().min();
      double max = c.range() == null ? 1 : c.range().max();
      calibration = new CalibrationSettings(c.directory(), c.samples(), c.seed(), min, max);
    }
    return new QuantizationOptions(m.perChannel, inputType, outputType, opTypes, nodes, m.integerOnly, calibration);
  }

  private IoType ioType(Setting setting, String value, Problems p) {
    try {
      return IoType.fromConfig(value == null ? "float" : value);
    } catch (ConversionException e) {
      p.add(spelling.value(setting, value) + " is not a type; choose one of " + Arrays.stream(IoType.values()).map(IoType::configName).toList());
      return IoType.FLOAT32;
    }
  }

  static long[] parseShape(String text) {
    String[] parts = text.trim().split("\\s*,\\s*");
    long[] shape = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shape[i] = Long.parseLong(parts[i]);
      if (shape[i] < 1 && shape[i] != -1) { // -1: the dimension stays as the model declares it (dynamic when unknown)
        throw new NumberFormatException("size " + shape[i]);
      }
    }
    return shape;
  }

  /** The path as the user wrote it relative to the project, with '/' separators: reports hold no absolute paths. */
  public static String relative(Path basedir, Path file) {
    Path base = basedir.toAbsolutePath().normalize();
    Path path = file.toAbsolutePath().normalize();
    String text = path.startsWith(base) ? base.relativize(path).toString() : path.getFileName().toString();
    return text.replace(File.separatorChar, '/');
  }
}
