package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.testmodels.RNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same models converted in every mode in two child JVMs, one with TensorFlow's oneDNN kernels off
 * ({@code TF_ENABLE_ONEDNN_OPTS=0}, what TensorFlow does on a CPU without AVX-512) and one with them on, must give
 * byte-identical files. Calibration ranges come out of TensorFlow's kernels, whose last bits depend on the CPU and on
 * oneDNN; the converter rounds them to a coarse grid ({@code TensorRanges}) so they do not reach the file. Models:
 * the Keras 3 CNN fixture, the Keras SavedModel MLP fixture and the seed RNet (a SavedModel built here).
 */
class CrossMachineDeterminismTest {
  static final List<QuantizationMode> MODES = List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16,
      QuantizationMode.WEIGHT_ONLY_INT8, QuantizationMode.INT8, QuantizationMode.INT16X8);

  @TempDir
  Path dir;

  @Test
  void filesAreByteIdenticalWithOneDnnOnAndOff() throws Exception {
    Path rnet = RNet.export(dir.resolve("rnet"));
    Path off = dir.resolve("onednn-off");
    Path on = dir.resolve("onednn-on");
    Process a = child("0", off, rnet);
    Process b = child("1", on, rnet);
    finish(a, off);
    finish(b, on);
    List<String> names = new ArrayList<>();
    try (var files = Files.list(off)) {
      files.filter(f -> f.toString().endsWith(".tflite")).forEach(f -> names.add(f.getFileName().toString()));
    }
    java.util.Collections.sort(names);
    assertEquals(3 * MODES.size(), names.size(), "every model in every mode: " + names);
    List<String> differing = new ArrayList<>();
    for (String name : names) {
      if (!java.util.Arrays.equals(Files.readAllBytes(off.resolve(name)), Files.readAllBytes(on.resolve(name)))) {
        differing.add(name);
      }
    }
    assertEquals(List.of(), differing, "files that differ between oneDNN off and on");
  }

  private static Process child(String oneDnn, Path out, Path rnet) throws IOException {
    Files.createDirectories(out);
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), ConvertAll.class.getName(), out.toString(), rnet.toString(),
        Tflite.fixture("keras3-cnn/best_model.keras").toString(), Tflite.fixture("keras-savedmodel-mlp/saved_model").toString());
    pb.environment().put("TF_ENABLE_ONEDNN_OPTS", oneDnn);
    pb.redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
    return pb.start();
  }

  private static void finish(Process p, Path out) throws Exception {
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child conversion timed out");
    Path log = out.resolveSibling(out.getFileName() + ".log");
    assertEquals(0, p.exitValue(), "child conversion failed:\n" + Files.readString(log));
  }

  /** The child: converts each model in every mode, calibrated on 8 seeded samples in the model's input range. */
  public static final class ConvertAll {
    public static void main(String[] args) {
      Path out = Path.of(args[0]);
      List<Object[]> models = List.of(new Object[] {"rnet", Path.of(args[1]), -1.0, 1.0}, new Object[] {"keras3", Path.of(args[2]), 0.3, 0.5},
          new Object[] {"mlp", Path.of(args[3]), 0.0, 1.0});
      TfliteConverter converter = new TfliteConverter();
      for (Object[] m : models) {
        for (QuantizationMode mode : MODES) {
          String name = m[0] + "-" + mode.configName();
          QuantizationOptions options = QuantizationOptions.defaults()
              .withCalibration(new CalibrationSettings(null, 8, 17, (double) m[2], (double) m[3]));
          converter.convert(ConversionRequest.of(name, (Path) m[1], mode, out.resolve(name + ".tflite")).withQuantization(mode, options));
        }
      }
    }
  }
}
