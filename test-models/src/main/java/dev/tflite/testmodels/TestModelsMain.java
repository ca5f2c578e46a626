package dev.tflite.testmodels;

import java.nio.file.Path;

/**
 * Command line: {@code rnet <directory>} writes the seed RNet SavedModel (used by the example and the ITs). An
 * existing model is kept: TensorFlow's SavedModel writer is not byte-reproducible, and a model that changed on every
 * build would defeat incremental builds, unlike a real project's checked-in SavedModel.
 */
public final class TestModelsMain {
  private TestModelsMain() {}

  public static void main(String[] args) {
    if (args.length != 2 || !java.util.List.of("rnet", "outlier", "zoo").contains(args[0])) {
      System.err.println("usage: TestModelsMain rnet|outlier|zoo <output-directory>");
      System.exit(2);
    }
    if (args[0].equals("zoo")) {
      for (KerasZoo.Entry entry : KerasZoo.MODELS) {
        Path file = Path.of(args[1]).toAbsolutePath().resolve(entry.name() + ".keras");
        if (!java.nio.file.Files.exists(file)) {
          entry.writer().apply(file);
        }
      }
      System.out.println("Keras zoo in " + args[1]);
      return;
    }
    Path target = Path.of(args[1]).toAbsolutePath();
    if (java.nio.file.Files.isRegularFile(target.resolve("saved_model.pb"))) {
      System.out.println(args[0] + " SavedModel already at " + target);
      return;
    }
    dev.tflite.runtime.TensorFlowNative.ensureLoaded(); // quiet unless -Dtflite.nativeLogs=true, as in the plugin
    Path out = args[0].equals("rnet") ? RNet.export(target) : OutlierModel.export(target);
    System.out.println("wrote " + args[0] + " SavedModel to " + out);
  }
}
