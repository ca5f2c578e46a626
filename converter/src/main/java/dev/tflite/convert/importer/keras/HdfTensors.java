package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import io.jhdf.api.Dataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** HDF5 datasets and attributes as the converter's values: weights as float32 tensors, names as strings. */
final class HdfTensors {
  private HdfTensors() {}

  static boolean isFloat(Dataset dataset) {
    Class<?> type = dataset.getJavaType();
    return type == float.class || type == double.class || type == Float.class || type == Double.class;
  }

  static TensorData tensor(Dataset dataset) {
    int[] dims = dataset.getDimensions();
    long[] shape = Arrays.stream(dims).asLongStream().toArray();
    ByteBuffer buffer = ByteBuffer.allocate((int) (Arrays.stream(shape).reduce(1, (a, b) -> a * b) * 4)).order(ByteOrder.LITTLE_ENDIAN);
    flatten(dataset.getData(), buffer);
    return new TensorData(DType.FLOAT32, shape, buffer.array());
  }

  private static void flatten(Object data, ByteBuffer out) {
    if (data instanceof float[] f) {
      for (float v : f) {
        out.putFloat(v);
      }
    } else if (data instanceof double[] d) {
      for (double v : d) {
        out.putFloat((float) v);
      }
    } else if (data instanceof Float f) {
      out.putFloat(f);
    } else if (data instanceof Double d) {
      out.putFloat(d.floatValue());
    } else if (data instanceof long[] l) { // integer bookkeeping weights (Normalization's sample count): read as numbers too
      for (long v : l) {
        out.putFloat(v);
      }
    } else if (data instanceof int[] i) {
      for (int v : i) {
        out.putFloat(v);
      }
    } else if (data instanceof Long l) {
      out.putFloat(l);
    } else if (data instanceof Integer i) {
      out.putFloat(i);
    } else if (data instanceof Object[] array) {
      for (Object o : array) {
        flatten(o, out);
      }
    } else {
      throw new ConversionException("a Keras weight has type " + data.getClass().getSimpleName() + "; only float weights are supported");
    }
  }

  static String text(Object data) {
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] a && a.length == 1) {
      return a[0];
    }
    return String.valueOf(data);
  }

  static List<String> strings(Object data) {
    if (data == null || (data.getClass().isArray() && java.lang.reflect.Array.getLength(data) == 0)) {
      return List.of(); // layers without weights store an empty list
    }
    if (data instanceof String[] a) {
      return List.of(a);
    }
    return List.of(text(data));
  }
}
