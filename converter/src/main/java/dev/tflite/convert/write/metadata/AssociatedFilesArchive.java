package dev.tflite.convert.write.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The associated files as TensorFlow Lite packs them: a zip archive appended to the flatbuffer, so the {@code .tflite}
 * is both a model and a zip. As the official populator (Python's zipfile appending to the model file) does, entries
 * are stored uncompressed and offsets count from the start of the {@code .tflite}; the support library's
 * {@code MetadataExtractor} reads the raw bytes of stored entries.
 *
 * <p>Written by hand rather than with {@code ZipOutputStream}, whose offsets count from its own first byte: only the
 * stored method is needed, and every field is fixed here (one DOS timestamp, no extra fields, the given order), so the
 * same files give the same bytes on any machine and time zone.
 */
public final class AssociatedFilesArchive {
  /** A fixed modification time, 2010-01-01 00:00, in DOS date/time form: no clock or time zone reaches the file. */
  private static final int DOS_TIME = 0;
  private static final int DOS_DATE = ((2010 - 1980) << 9) | (1 << 5) | 1;
  private static final int VERSION_STORED = 10;

  private AssociatedFilesArchive() {}

  /** A file to pack: its name in the archive (as the metadata records it) and its bytes. */
  public record Entry(String name, byte[] bytes) {}

  /** The archive to append to a model of {@code modelSize} bytes; empty when there are no files. */
  public static byte[] archive(long modelSize, List<Entry> entries) {
    if (entries.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream central = new ByteArrayOutputStream();
    for (Entry e : entries) {
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(e.bytes());
      long offset = modelSize + out.size();
      requireZip32(offset + e.bytes().length);
      int flags = isAscii(e.name()) ? 0 : 0x800; // bit 11: the name is UTF-8
      ByteBuffer local = le(30 + name.length);
      local.putInt(0x04034b50).putShort((short) VERSION_STORED).putShort((short) flags).putShort((short) 0)
          .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt((int) crc.getValue())
          .putInt(e.bytes().length).putInt(e.bytes().length).putShort((short) name.length).putShort((short) 0).put(name);
      out.writeBytes(local.array());
      out.writeBytes(e.bytes());
      ByteBuffer header = le(46 + name.length);
      header.putInt(0x02014b50).putShort((short) VERSION_STORED).putShort((short) VERSION_STORED).putShort((short) flags).putShort((short) 0)
          .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt((int) crc.getValue())
          .putInt(e.bytes().length).putInt(e.bytes().length).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(name);
      central.writeBytes(header.array());
    }
    long centralOffset = modelSize + out.size();
    requireZip32(centralOffset + central.size());
    ByteBuffer end = le(22);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size()).putShort((short) entries.size())
        .putInt(central.size()).putInt((int) centralOffset).putShort((short) 0);
    out.writeBytes(central.toByteArray());
    out.writeBytes(end.array());
    return out.toByteArray();
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  /** A flatbuffer stays under 2 GiB, so a zip without the ZIP64 extension always fits; checked all the same. */
  private static void requireZip32(long end) {
    if (end > 0xFFFFFFFFL) {
      throw new IllegalStateException("associated files end at byte " + end + ", beyond what a zip without ZIP64 addresses");
    }
  }
}
