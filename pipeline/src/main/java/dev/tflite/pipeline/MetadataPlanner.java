package dev.tflite.pipeline;

import dev.tflite.convert.write.metadata.MetadataProblem;
import dev.tflite.convert.write.metadata.MetadataSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Checks a model's {@code metadata} settings and turns them into the converter's {@link MetadataSpec}: what can be
 * judged without the model (names of content types and color spaces, numbers, files that exist). What needs the
 * converted graph (channel and class counts) the converter checks; {@link #spell} words its problems the same way.
 */
final class MetadataPlanner {
  private final Spelling spelling;

  MetadataPlanner(Spelling spelling) {
    this.spelling = spelling;
  }

  /** The spec, or null when there is no metadata or a problem was added. */
  MetadataSpec plan(ModelSpec.Metadata m, Path basedir, Consumer<String> problems) {
    if (m == null) {
      return null;
    }
    int[] count = {0};
    Consumer<String> counting = p -> {
      count[0]++;
      problems.accept(p);
    };
    List<MetadataSpec.InputInfo> inputs = new ArrayList<>();
    for (ModelSpec.InputMetadata in : m.inputs() == null ? List.<ModelSpec.InputMetadata>of() : m.inputs()) {
      MetadataSpec.Content content = content(Setting.METADATA_INPUT_CONTENT, in.tensor(), in.content(), counting);
      MetadataSpec.ColorSpace space = null;
      if (in.colorSpace() != null) {
        try {
          space = MetadataSpec.ColorSpace.valueOf(in.colorSpace().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          counting.accept(spelling.value(Setting.METADATA_COLOR_SPACE, in.tensor(), in.colorSpace()) + " is not a color space; choose RGB or GRAYSCALE");
        }
        if (content != null && content != MetadataSpec.Content.IMAGE) {
          counting.accept(spelling.value(Setting.METADATA_COLOR_SPACE, in.tensor(), in.colorSpace()) + " needs image content");
        }
      }
      float[] mean = numbers(Setting.METADATA_MEAN, in.tensor(), in.mean(), counting);
      float[] std = numbers(Setting.METADATA_STD, in.tensor(), in.std(), counting);
      range(Setting.METADATA_INPUT_RANGE, in.tensor(), in.range(), counting);
      inputs.add(new MetadataSpec.InputInfo(in.tensor(), content, space, mean, std, range(in.range()), in.sampleRate() == null ? 0 : in.sampleRate()));
    }
    List<MetadataSpec.OutputInfo> outputs = new ArrayList<>();
    for (ModelSpec.OutputMetadata out : m.outputs() == null ? List.<ModelSpec.OutputMetadata>of() : m.outputs()) {
      MetadataSpec.Content content = content(Setting.METADATA_OUTPUT_CONTENT, out.tensor(), out.content(), counting);
      if (out.labels() != null && !Files.isRegularFile(out.labels())) {
        counting.accept(spelling.value(Setting.METADATA_LABELS, out.tensor(), ModelPlanner.relative(basedir, out.labels()))
            + " does not exist; give a text file with one class name per line");
      }
      range(Setting.METADATA_OUTPUT_RANGE, out.tensor(), out.range(), counting);
      outputs.add(new MetadataSpec.OutputInfo(out.tensor(), content, out.labels(), range(out.range())));
    }
    return count[0] > 0 ? null : new MetadataSpec(m.name(), m.description(), m.version(), m.author(), m.license(), inputs, outputs);
  }

  /** A converter metadata problem, spelled as the front end's users write the setting. */
  String spell(MetadataProblem p) {
    Setting setting = switch (p.field()) {
      case INPUT_NAME -> Setting.METADATA_INPUT;
      case OUTPUT_NAME -> Setting.METADATA_OUTPUT;
      case MEAN -> Setting.METADATA_MEAN;
      case STD -> Setting.METADATA_STD;
      case COLOR_SPACE -> Setting.METADATA_COLOR_SPACE;
      case CONTENT -> Setting.METADATA_INPUT_CONTENT;
      case SAMPLE_RATE -> Setting.METADATA_SAMPLE_RATE;
      case LABELS -> Setting.METADATA_LABELS;
    };
    return spelling.value(setting, p.tensor(), p.value()) + " " + p.problem();
  }

  private MetadataSpec.Content content(Setting setting, String tensor, String text, Consumer<String> problems) {
    if (text == null) {
      return null;
    }
    try {
      return MetadataSpec.Content.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.accept(spelling.value(setting, tensor, text) + " is not a content type; choose image, features or audio");
      return null;
    }
  }

  private float[] numbers(Setting setting, String tensor, String text, Consumer<String> problems) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String[] parts = text.trim().split("\\s*,\\s*");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Float.parseFloat(parts[i]);
      } catch (NumberFormatException e) {
        problems.accept(spelling.value(setting, tensor, text) + " is not a number or a comma-separated list of numbers (one per channel)");
        return null;
      }
    }
    return values;
  }

  private void range(Setting setting, String tensor, ModelSpec.Range r, Consumer<String> problems) {
    if (r != null && !(r.min() <= r.max())) {
      problems.accept(spelling.value(setting, tensor, r.min() + ".." + r.max()) + " needs its minimum at or below its maximum");
    }
  }

  private static MetadataSpec.Range range(ModelSpec.Range r) {
    return r == null ? null : new MetadataSpec.Range(r.min(), r.max());
  }
}
