package dev.tflite.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes float32 .npy files (format 1.0), as numpy.save would, for calibration tests. */
final class Npy {
  private Npy() {}

  static Path write(Path file, long[] shape, float[] values) throws IOException {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ")) + (shape.length == 1 ? "," : "");
    StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }");
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer out = ByteBuffer.allocate(10 + header.length() + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.put(header.toString().getBytes(StandardCharsets.US_ASCII));
    for (float v : values) {
      out.putFloat(v);
    }
    Files.createDirectories(file.getParent());
    return Files.write(file, out.array());
  }
}
