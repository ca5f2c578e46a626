package dev.tflite.convert.importer.loops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * What a tensor holds while loops are unrolled: a real graph tensor (with its value when it is a small integer the
 * unroller could work out), or a tensor list / tensor array, which exists only here: its elements are graph tensors.
 */
sealed interface LoopValue {

  /** A graph tensor {@code ref} ("node:index"); {@code known} is its value when the unroller computed it, else null. */
  record Tensor(String ref, KnownInts known) implements LoopValue {}

  /**
   * A TensorList (TF2) or TensorArray flow (TF1): one graph tensor per slot, null for a slot never written (it reads
   * as zeros). {@code elementShape} may hold -1 for unknown dimensions, or be null when the rank is unknown.
   */
  record TensorList(List<String> elements, long[] elementShape, DataType elementType) implements LoopValue {
    public TensorList {
      elements = Collections.unmodifiableList(new ArrayList<>(elements));
    }

    static TensorList empty(int size, long[] elementShape, DataType type) {
      return new TensorList(Collections.nCopies(size, null), elementShape, type);
    }

    TensorList with(int index, String element) {
      List<String> copy = new ArrayList<>(elements);
      while (copy.size() <= index) {
        copy.add(null);
      }
      copy.set(index, element);
      return new TensorList(copy, elementShape, elementType);
    }

    TensorList resized(int size) {
      List<String> copy = new ArrayList<>(elements.subList(0, Math.min(size, elements.size())));
      while (copy.size() < size) {
        copy.add(null);
      }
      return new TensorList(copy, elementShape, elementType);
    }
  }

  /** A TF1 TensorArray handle: its contents travel with its flow tensor, so the handle itself carries nothing. */
  record ArrayHandle(String name) implements LoopValue {}
}
