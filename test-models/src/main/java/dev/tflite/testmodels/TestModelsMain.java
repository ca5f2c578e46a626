package dev.tflite.testmodels;

import java.nio.file.Path;

/** Command line: {@code rnet <directory>} writes the seed RNet SavedModel (used by the example and the ITs). */
public final class TestModelsMain {
  private TestModelsMain() {}

  public static void main(String[] args) {
    if (args.length != 2 || !args[0].equals("rnet")) {
      System.err.println("usage: TestModelsMain rnet <output-directory>");
      System.exit(2);
    }
    Path out = RNet.export(Path.of(args[1]).toAbsolutePath());
    System.out.println("wrote RNet SavedModel to " + out);
  }
}
