package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.OpOptions.Padding;

/** The attributes convolutions, pools and block ops share: their padding and their (channels-last) data layout. */
final class SpatialAttributes {
  private SpatialAttributes() {}

  /** The node's SAME or VALID padding (TensorFlow's default VALID); explicit paddings are refused. */
  static Padding padding(LegalizeContext ctx) {
    String padding = ctx.stringAttr("padding", "VALID");
    return switch (padding) {
      case "SAME" -> Padding.SAME;
      case "VALID" -> Padding.VALID;
      default -> throw new UnsupportedNodeException("padding " + padding + " is not supported (use SAME or VALID)");
    };
  }

  /** Refuses a node whose data_format is not {@code channelsLast} (NHWC, or NDHWC for 3-D ops), TensorFlow Lite's only layout. */
  static void requireChannelsLast(LegalizeContext ctx, String channelsLast) {
    String format = ctx.stringAttr("data_format", channelsLast);
    if (!format.equals(channelsLast)) {
      throw new UnsupportedNodeException("data_format " + format + " is not supported; TensorFlow Lite runs " + channelsLast + " (channels-last) models");
    }
  }
}
