package dev.tflite.convert.tf;

/**
 * A TensorFlow tensor reference {@code node:index}. Graph inputs are written {@code node} for index 0 and
 * {@code ^node} for control dependencies; this type normalises them.
 */
public record TensorName(String node, int index) {

  public static TensorName parse(String reference) {
    String ref = reference.startsWith("^") ? reference.substring(1) : reference;
    int colon = ref.lastIndexOf(':');
    if (colon > 0 && ref.substring(colon + 1).chars().allMatch(Character::isDigit) && colon < ref.length() - 1) {
      return new TensorName(ref.substring(0, colon), Integer.parseInt(ref.substring(colon + 1)));
    }
    return new TensorName(ref, 0);
  }

  public static boolean isControl(String reference) {
    return reference.startsWith("^");
  }

  @Override
  public String toString() {
    return node + ":" + index;
  }
}
