package dev.tflite.convert.target;

import dev.tflite.convert.ConversionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oldest TensorFlow Lite runtime a converted file must run in ({@code <targetRuntime>}, e.g. "2.6" or "2.18").
 * The default, 2.6, is the oldest runtime validated; a newer target lets the converter use schemes only newer kernels
 * implement (see {@link RuntimeVersions#features()}), and the file then no longer loads correctly in 2.6.
 */
public record TargetRuntime(int major, int minor, int patch) implements Comparable<TargetRuntime> {
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** The oldest runtime every file is validated in by default (TensorFlow Lite 2.6.2 loads files for 2.6.0 and up). */
  public static final TargetRuntime DEFAULT = new TargetRuntime(2, 6, 0);
  /** The newest runtime validation runs (TensorFlow Lite 2.18 through JavaCPP); targets above it cannot be checked. */
  public static final TargetRuntime NEWEST_VALIDATED = new TargetRuntime(2, 18, 0);

  public static TargetRuntime parse(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT;
    }
    Matcher m = VERSION.matcher(text.trim());
    if (!m.matches()) {
      throw new ConversionException("<targetRuntime>" + text + "</targetRuntime> is not a TensorFlow Lite version; write it as major.minor, e.g. 2.6 or 2.18");
    }
    TargetRuntime t = new TargetRuntime(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    if (t.compareTo(DEFAULT) < 0) {
      throw new ConversionException("<targetRuntime>" + text + "</targetRuntime> is older than TensorFlow Lite 2.6, the oldest runtime the converter writes "
          + "for; use 2.6 or newer");
    }
    if (t.compareTo(NEWEST_VALIDATED) > 0) {
      throw new ConversionException("<targetRuntime>" + text + "</targetRuntime> is newer than TensorFlow Lite " + NEWEST_VALIDATED.label()
          + ", the newest runtime validation can check; use " + NEWEST_VALIDATED.label() + " or older");
    }
    return t;
  }

  public boolean atLeast(TargetRuntime other) {
    return compareTo(other) >= 0;
  }

  /** "2.6" or "2.18" (the patch only when it is not 0). */
  public String label() {
    return major + "." + minor + (patch == 0 ? "" : "." + patch);
  }

  /** The full form the runtime-version table and the {@code min_runtime_version} metadata use, e.g. "2.6.0". */
  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }

  @Override
  public int compareTo(TargetRuntime o) {
    return major != o.major ? Integer.compare(major, o.major) : minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
  }
}
