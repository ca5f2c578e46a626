package dev.tflite.testmodels;

import java.nio.file.Path;

/**
 * Command line: {@code rnet <directory>} writes the seed RNet SavedModel (used by the example and the ITs);
 * {@code classifier <directory>} a small image classifier (the release-gate IT). An
 * existing model is kept: TensorFlow's SavedModel writer is not byte-reproducible, and a model that changed on every
 * build would defeat incremental builds, unlike a real project's checked-in SavedModel.
 */
public final class TestModelsMain {
  private TestModelsMain() {}

  public static void main(String[] args) {
    if (args.length != 2 || !java.util.List.of("rnet", "outlier", "zoo", "classifier").contains(args[0])) {
      System.err.println("usage: TestModelsMain rnet|outlier|zoo|classifier <output-directory>");
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
    Path out = switch (args[0]) {
      case "rnet" -> RNet.export(target);
      // a small MobileNet-style image classifier: 32x32 RGB in, 5 class probabilities out (the release-gate IT)
      case "classifier" -> MobileNetStyle.export(target, 32, 1, 5);
      default -> OutlierModel.export(target);
    };
    System.out.println("wrote " + args[0] + " SavedModel to " + out);
  }
}
