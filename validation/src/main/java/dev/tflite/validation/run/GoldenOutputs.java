package dev.tflite.validation.run;

import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TensorSpec;
import dev.tflite.validation.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reference outputs recorded per sample ({@code <directory>/sample_0000/<output>.npy}): written from the original in
 * record mode, and replayed instead of the original in check mode, so a later build checks against a baseline.
 */
public final class GoldenOutputs {
  private GoldenOutputs() {}

  public static void record(Path directory, int sample, NamedTensors outputs) {
    Path dir = directory.resolve(String.format("sample_%04d", sample));
    outputs.asMap().forEach((name, t) -> {
      try {
        NpyReader.write(dir.resolve(name.replace('/', '_') + ".npy"), t.shape(), t.values());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record golden output " + dir + "/" + name + ".npy", e);
      }
    });
  }

  /**
   * A runner that answers sample i with the outputs recorded for sample i (samples must come in the same order); it
   * declares the ports of the model the outputs were recorded for.
   */
  public static ModelRunner replay(Path directory, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    List<String> outputNames = outputs.stream().map(TensorSpec::name).toList();
    if (!Files.isDirectory(directory.resolve("sample_0000"))) {
      throw new ValidationException("no golden outputs in " + directory + "; record them first (<golden><mode>record</mode>)");
    }
    return new ModelRunner() {
      private int next;

      @Override
      public NamedTensors run(NamedTensors inputs) {
        Path dir = directory.resolve(String.format("sample_%04d", next++));
        if (!Files.isDirectory(dir)) {
          throw new ValidationException("golden outputs end before sample " + (next - 1) + " (" + dir + "); record them again with as many samples");
        }
        NamedTensors out = new NamedTensors();
        for (String name : outputNames) {
          NpyReader.NpyArray a = NpyReader.read(dir.resolve(name.replace('/', '_') + ".npy"));
          out.put(name, new NamedTensors.FloatTensor(a.shape(), a.values()));
        }
        return out;
      }

      @Override
      public List<TensorSpec> inputSpecs() {
        return inputs;
      }

      @Override
      public List<TensorSpec> outputSpecs() {
        return outputs;
      }

      @Override
      public void close() {}
    };
  }

  static long count(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.count();
    }
  }
}
