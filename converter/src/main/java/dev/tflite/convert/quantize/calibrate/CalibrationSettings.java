package dev.tflite.convert.quantize.calibrate;

import java.nio.file.Path;

/**
 * Where calibration samples come from: a folder of {@code .npy} files, or (when {@code directory} is null) seeded
 * uniform random inputs in [{@code min}, {@code max}]. {@code samples} caps how many are used.
 */
public record CalibrationSettings(Path directory, int samples, long seed, double min, double max) {

  public static CalibrationSettings randomDefault() {
    return new CalibrationSettings(null, 32, 1234, 0, 1);
  }
}
