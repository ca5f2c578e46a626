package dev.tflite.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (C order; float32/64, int8/16/32/64, uint8, bool) as float arrays, and writes
 * float32 ones. Malformed files fail with {@link IllegalArgumentException} naming the file and the problem.
 */
public final class NpyReader {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([A-Za-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Shape and values of one array. */
  public record NpyArray(long[] shape, float[] values) {}

  private NpyReader() {}

  /** Writes a float32 array in format 1.0, as numpy.save does. */
  public static void write(Path file, long[] shape, float[] values) throws IOException {
    String dims = java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "))
        + (shape.length == 1 ? "," : "");
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
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, out.array());
  }

  public static NpyArray read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IllegalArgumentException(file + " is not a NumPy .npy file (no \\x93NUMPY magic); save samples with numpy.save");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : buffer.getInt(8);
    int headerStart = major == 1 ? 10 : 12;
    if (headerStart + headerLength > bytes.length) {
      throw new IllegalArgumentException(file + " is truncated: its header runs past the end of the file");
    }
    String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeMatch = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
      throw new IllegalArgumentException(file + " has an unreadable .npy header: " + header.trim());
    }
    if (fortran.group(1).equals("True")) {
      throw new IllegalArgumentException(file + " is stored in Fortran order; save it with numpy.ascontiguousarray first");
    }
    String[] dims = shapeMatch.group(1).split(",");
    long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String kind = descr.group(2);
    int size = Integer.parseInt(descr.group(3));
    int dataStart = headerStart + headerLength;
    if (dataStart + count * size > bytes.length) {
      throw new IllegalArgumentException(file + " is truncated: shape " + java.util.Arrays.toString(shape) + " needs " + count * size
          + " data bytes, the file has " + (bytes.length - dataStart));
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(order);
    float[] values = new float[Math.toIntExact(count)];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (kind + size) {
        case "f4" -> data.getFloat(i * 4);
        case "f8" -> (float) data.getDouble(i * 8);
        case "i1" -> data.get(i);
        case "u1", "b1" -> data.get(i) & 0xff;
        case "i2" -> data.getShort(i * 2);
        case "i4" -> data.getInt(i * 4);
        case "i8" -> data.getLong(i * 8);
        default -> throw new IllegalArgumentException(file + " holds dtype '" + kind + size + "', which calibration cannot read; use float32");
      };
    }
    return new NpyArray(shape, values);
  }
}
