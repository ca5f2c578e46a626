package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.runtime.NpyReader;
import dev.tflite.testmodels.RNet;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation on user data (images, .npy) and against recorded golden outputs. */
class ValidationInputsTest {
  @TempDir
  static Path dir;
  static Path rnet;
  static Path tflite;

  @BeforeAll
  static void convert() {
    rnet = RNet.export(dir.resolve("rnet"));
    tflite = dir.resolve("rnet.tflite");
    Tflite.convert(rnet, QuantizationMode.DYNAMIC_RANGE, tflite);
  }

  private static ValidationRequest request(int samples, Tolerance tolerance) {
    return new ValidationRequest("rnet", rnet, "rnet", List.of("serve"), tflite, "dynamic-range", samples, 3, -1, 1, tolerance);
  }

  @Test
  void imagesAreResizedAndNormalised() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 5; i++) {
      BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB); // resized to 24x24
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          img.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", images.resolve("face" + i + (i % 2 == 0 ? ".png" : ".jpg")).toFile());
    }
    ValidationOptions options = new ValidationOptions(null, Map.of(), new ValidationOptions.InputFolder(images, 2.0 / 255, -1), null);
    ValidationReport report = new ModelValidator().validate(request(32, new Tolerance(0.05, null, null, null)), options);
    assertTrue(report.passed(), "max abs " + report.worstMaxAbsError());
    assertTrue(report.worstMaxAbsError() > 0, "the quantized model differs a little on real inputs");
  }

  @Test
  void npyInputsOfTheWrongShapeAreRejected() throws Exception {
    Path npy = dir.resolve("npy-bad");
    NpyReader.write(npy.resolve("x.npy"), new long[] {1, 5}, new float[5]);
    ValidationOptions options = new ValidationOptions(null, Map.of(), new ValidationOptions.InputFolder(npy, 1, 0), null);
    ValidationException e = assertThrows(ValidationException.class, () -> new ModelValidator().validate(request(4, Tolerance.defaultFor("int8")), options));
    assertTrue(e.getMessage().contains("x.npy has shape [1, 5], but input 'input' takes [1, 24, 24, 3]"), e.getMessage());
  }

  @Test
  void goldenOutputsAreRecordedThenChecked() throws Exception {
    Path golden = dir.resolve("golden");
    Tolerance tolerance = new Tolerance(0.05, null, null, null);
    ValidationReport recorded = new ModelValidator().validate(request(6, tolerance),
        new ValidationOptions(null, Map.of(), null, new ValidationOptions.Golden(golden, ValidationOptions.Golden.Mode.RECORD)));
    assertTrue(Files.isRegularFile(golden.resolve("sample_0005/score.npy")));
    ValidationReport checked = new ModelValidator().validate(request(6, tolerance),
        new ValidationOptions(null, Map.of(), null, new ValidationOptions.Golden(golden, ValidationOptions.Golden.Mode.CHECK)));
    assertEquals(recorded.worstMaxAbsError(), checked.worstMaxAbsError(), 1e-9, "replayed outputs equal the original's");

    NpyReader.NpyArray boxes = NpyReader.read(golden.resolve("sample_0002/boxes.npy"));
    float[] shifted = boxes.values().clone();
    shifted[0] += 1f;
    NpyReader.write(golden.resolve("sample_0002/boxes.npy"), boxes.shape(), shifted);
    ValidationReport drifted = new ModelValidator().validate(request(6, tolerance),
        new ValidationOptions(null, Map.of(), null, new ValidationOptions.Golden(golden, ValidationOptions.Golden.Mode.CHECK)));
    assertFalse(drifted.passed(), "a baseline that moved fails the build");
  }
}
