package dev.tflite.convert.write.metadata;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.support.metadata.schema.AssociatedFileT;
import org.tensorflow.lite.support.metadata.schema.AssociatedFileType;
import org.tensorflow.lite.support.metadata.schema.AudioPropertiesT;
import org.tensorflow.lite.support.metadata.schema.ColorSpaceType;
import org.tensorflow.lite.support.metadata.schema.ContentProperties;
import org.tensorflow.lite.support.metadata.schema.ContentPropertiesUnion;
import org.tensorflow.lite.support.metadata.schema.ContentT;
import org.tensorflow.lite.support.metadata.schema.FeaturePropertiesT;
import org.tensorflow.lite.support.metadata.schema.ImagePropertiesT;
import org.tensorflow.lite.support.metadata.schema.ModelMetadata;
import org.tensorflow.lite.support.metadata.schema.ModelMetadataT;
import org.tensorflow.lite.support.metadata.schema.NormalizationOptionsT;
import org.tensorflow.lite.support.metadata.schema.ProcessUnitOptions;
import org.tensorflow.lite.support.metadata.schema.ProcessUnitOptionsUnion;
import org.tensorflow.lite.support.metadata.schema.ProcessUnitT;
import org.tensorflow.lite.support.metadata.schema.StatsT;
import org.tensorflow.lite.support.metadata.schema.SubGraphMetadataT;
import org.tensorflow.lite.support.metadata.schema.TensorMetadataT;

/**
 * Builds the TensorFlow Lite metadata of a converted model with the official metadata schema classes (file
 * identifier {@code M001}), checked against the model's inputs and outputs, and collects the associated files it
 * names. The model writer stores the result in a buffer named {@value #METADATA_NAME} and appends the files as a zip
 * ({@link AssociatedFilesArchive}), as the official populator lays a file out. The tensorflow-lite-metadata Java
 * library reads metadata only (MetadataExtractor); its populator exists for Python and C++ alone, hence this class.
 */
public final class MetadataWriter {
  /** The name of the model metadata entry that the support library, Task Library and Android Studio look for. */
  public static final String METADATA_NAME = "TFLITE_METADATA";

  /**
   * Oldest metadata parser that understands every field written: 1.0.0, or 1.3.0 once audio properties appear
   * (the versions the official metadata_version table gives those fields).
   */
  static final String BASE_PARSER_VERSION = "1.0.0";
  static final String AUDIO_PARSER_VERSION = "1.3.0";

  private MetadataWriter() {}

  /** The metadata flatbuffer and the files to pack after the model, in the order the metadata names them. */
  public record Packed(byte[] metadata, List<AssociatedFilesArchive.Entry> files) {}

  /**
   * {@code inputs} and {@code outputs} map signature names to shapes, in the order of the subgraph's input and output
   * tensors (tensor metadata is positional). Every setting that does not fit is reported at once.
   */
  public static Packed build(MetadataSpec spec, Map<String, long[]> inputs, Map<String, long[]> outputs) {
    List<MetadataProblem> problems = new ArrayList<>();
    Map<String, MetadataSpec.InputInfo> inputInfo = byTensor(spec.inputs(), MetadataSpec.InputInfo::tensor, inputs, MetadataProblem.Field.INPUT_NAME,
        "input", problems);
    Map<String, MetadataSpec.OutputInfo> outputInfo = byTensor(spec.outputs(), MetadataSpec.OutputInfo::tensor, outputs,
        MetadataProblem.Field.OUTPUT_NAME, "output", problems);
    boolean[] audio = {false};
    List<TensorMetadataT> inputMetadata = new ArrayList<>();
    inputs.forEach((name, shape) -> {
      MetadataSpec.InputInfo info = inputInfo.get(name);
      audio[0] |= info != null && info.content() == MetadataSpec.Content.AUDIO;
      inputMetadata.add(input(name, shape, info, problems));
    });
    List<AssociatedFilesArchive.Entry> files = new ArrayList<>();
    List<TensorMetadataT> outputMetadata = new ArrayList<>();
    outputs.forEach((name, shape) -> outputMetadata.add(output(name, shape, outputInfo.get(name), files, problems)));
    if (!problems.isEmpty()) {
      throw new MetadataException(problems);
    }
    SubGraphMetadataT subgraph = new SubGraphMetadataT();
    subgraph.setInputTensorMetadata(inputMetadata.toArray(TensorMetadataT[]::new));
    subgraph.setOutputTensorMetadata(outputMetadata.toArray(TensorMetadataT[]::new));
    ModelMetadataT model = new ModelMetadataT();
    model.setName(spec.name());
    model.setDescription(spec.description());
    model.setVersion(spec.version());
    model.setAuthor(spec.author());
    model.setLicense(spec.license());
    model.setSubgraphMetadata(new SubGraphMetadataT[] {subgraph});
    model.setMinParserVersion(audio[0] ? AUDIO_PARSER_VERSION : BASE_PARSER_VERSION);
    FlatBufferBuilder builder = new FlatBufferBuilder(1024);
    ModelMetadata.finishModelMetadataBuffer(builder, ModelMetadata.pack(builder, model));
    return new Packed(builder.sizedByteArray(), List.copyOf(files));
  }

  /** Settings keyed by tensor name; a null name means the only tensor. Names the model lacks are problems. */
  private static <T> Map<String, T> byTensor(List<T> infos, java.util.function.Function<T, String> tensorOf, Map<String, long[]> tensors,
      MetadataProblem.Field field, String kind, List<MetadataProblem> problems) {
    Map<String, T> map = new LinkedHashMap<>();
    for (T info : infos) {
      String name = tensorOf.apply(info);
      if (name == null && tensors.size() == 1) {
        name = tensors.keySet().iterator().next();
      } else if (name == null) {
        problems.add(new MetadataProblem(field, null, "", "the model has " + tensors.size() + " " + kind + "s " + tensors.keySet()
            + "; name the " + kind + " these settings are for"));
        continue;
      }
      if (!tensors.containsKey(name)) {
        problems.add(new MetadataProblem(field, name, name, "is not an " + kind + " of the model; its " + kind + "s are " + tensors.keySet()));
      } else if (map.put(name, info) != null) {
        problems.add(new MetadataProblem(field, name, name, "is configured twice; merge the settings into one"));
      }
    }
    return map;
  }

  private static TensorMetadataT input(String name, long[] shape, MetadataSpec.InputInfo info, List<MetadataProblem> problems) {
    TensorMetadataT t = new TensorMetadataT();
    t.setName(name);
    if (info == null) {
      return t;
    }
    long channels = channels(shape);
    if (info.content() != null) {
      t.setContent(content(info.content(), info, channels, name, problems));
    }
    if (info.mean() != null || info.std() != null) {
      float[] mean = info.mean() == null ? new float[] {0} : info.mean();
      float[] std = info.std() == null ? new float[] {1} : info.std();
      checkPerChannel(MetadataProblem.Field.MEAN, name, mean, channels, problems);
      checkPerChannel(MetadataProblem.Field.STD, name, std, channels, problems);
      for (float s : std) {
        if (!(s != 0 && Float.isFinite(s))) {
          problems.add(new MetadataProblem(MetadataProblem.Field.STD, name, text(std), "must be finite and non-zero: inputs are divided by it"));
          break;
        }
      }
      NormalizationOptionsT normalization = new NormalizationOptionsT();
      normalization.setMean(mean);
      normalization.setStd(std);
      ProcessUnitOptionsUnion options = new ProcessUnitOptionsUnion();
      options.setType(ProcessUnitOptions.NormalizationOptions);
      options.setValue(normalization);
      ProcessUnitT unit = new ProcessUnitT();
      unit.setOptions(options);
      t.setProcessUnits(new ProcessUnitT[] {unit});
    }
    t.setStats(stats(info.range()));
    return t;
  }

  private static TensorMetadataT output(String name, long[] shape, MetadataSpec.OutputInfo info, List<AssociatedFilesArchive.Entry> files,
      List<MetadataProblem> problems) {
    TensorMetadataT t = new TensorMetadataT();
    t.setName(name);
    if (info == null) {
      return t;
    }
    if (info.content() != null) {
      t.setContent(content(info.content(), null, channels(shape), name, problems));
    }
    t.setStats(stats(info.range()));
    if (info.labels() != null) {
      byte[] bytes = readLabels(info, name, problems);
      String fileName = info.labels().getFileName().toString();
      long classes = channels(shape);
      if (bytes != null) {
        long lines = new String(bytes, StandardCharsets.UTF_8).lines().count();
        if (lines != classes) {
          problems.add(new MetadataProblem(MetadataProblem.Field.LABELS, name, info.labels().toString(), "has " + lines
              + " lines but output '" + name + "' has " + classes + " classes (its last dimension, shape " + Arrays.toString(shape)
              + "); write one label per class, one per line"));
        } else if (files.stream().anyMatch(f -> f.name().equals(fileName))) {
          problems.add(new MetadataProblem(MetadataProblem.Field.LABELS, name, info.labels().toString(), "has the same file name as the labels of "
              + "another output; associated files are packed by name, so give each a different name"));
        } else {
          files.add(new AssociatedFilesArchive.Entry(fileName, bytes));
        }
      }
      AssociatedFileT file = new AssociatedFileT();
      file.setName(fileName);
      file.setDescription("Labels of the classes of '" + name + "', one per line");
      file.setType(AssociatedFileType.TENSOR_AXIS_LABELS);
      t.setAssociatedFiles(new AssociatedFileT[] {file});
    }
    return t;
  }

  private static byte[] readLabels(MetadataSpec.OutputInfo info, String name, List<MetadataProblem> problems) {
    try {
      return Files.readAllBytes(info.labels());
    } catch (IOException e) {
      problems.add(new MetadataProblem(MetadataProblem.Field.LABELS, name, info.labels().toString(), "cannot be read (" + e + ")"));
      return null;
    }
  }

  private static ContentT content(MetadataSpec.Content kind, MetadataSpec.InputInfo input, long channels, String name, List<MetadataProblem> problems) {
    ContentPropertiesUnion properties = new ContentPropertiesUnion();
    switch (kind) {
      case IMAGE -> {
        ImagePropertiesT image = new ImagePropertiesT();
        MetadataSpec.ColorSpace space = input == null || input.colorSpace() == null
            ? (channels == 1 ? MetadataSpec.ColorSpace.GRAYSCALE : MetadataSpec.ColorSpace.RGB) : input.colorSpace();
        long expected = space == MetadataSpec.ColorSpace.RGB ? 3 : 1;
        if (input != null && channels != expected) {
          problems.add(new MetadataProblem(MetadataProblem.Field.COLOR_SPACE, name, space.name(), "needs " + expected + " channel(s) but input '"
              + name + "' has " + channels + " (its last dimension)"));
        }
        image.setColorSpace(space == MetadataSpec.ColorSpace.RGB ? ColorSpaceType.RGB : ColorSpaceType.GRAYSCALE);
        properties.setType(ContentProperties.ImageProperties);
        properties.setValue(image);
      }
      case FEATURES -> {
        properties.setType(ContentProperties.FeatureProperties);
        properties.setValue(new FeaturePropertiesT());
      }
      case AUDIO -> {
        AudioPropertiesT audio = new AudioPropertiesT();
        if (input != null && input.sampleRate() <= 0) {
          problems.add(new MetadataProblem(MetadataProblem.Field.SAMPLE_RATE, name, String.valueOf(input.sampleRate()),
              "must be set for audio content: the Task Library resamples recordings to it"));
        }
        audio.setSampleRate(input == null ? 0 : input.sampleRate());
        audio.setChannels(channels);
        properties.setType(ContentProperties.AudioProperties);
        properties.setValue(audio);
      }
    }
    ContentT content = new ContentT();
    content.setContentProperties(properties);
    return content;
  }

  private static StatsT stats(MetadataSpec.Range range) {
    if (range == null) {
      return null;
    }
    StatsT stats = new StatsT();
    stats.setMin(new float[] {(float) range.min()});
    stats.setMax(new float[] {(float) range.max()});
    return stats;
  }

  private static void checkPerChannel(MetadataProblem.Field field, String name, float[] values, long channels, List<MetadataProblem> problems) {
    if (values.length != 1 && values.length != channels) {
      problems.add(new MetadataProblem(field, name, text(values), "has " + values.length + " values but input '" + name + "' has " + channels
          + " channels (its last dimension); give one value, or one per channel"));
    }
  }

  /** The channels of an image or feature tensor, and the classes of a classifier output: the last dimension. */
  private static long channels(long[] shape) {
    return shape.length == 0 ? 1 : shape[shape.length - 1];
  }

  private static String text(float[] values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ",").append(values[i]);
    }
    return s.toString();
  }
}
