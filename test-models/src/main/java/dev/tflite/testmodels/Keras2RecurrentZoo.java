package dev.tflite.testmodels;

import static dev.tflite.testmodels.KerasZoo.dense;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Keras 2 {@code .h5} files with recurrent layers ({@code model.save("x.h5")} in tf.keras 2.x, which is not
 * installable next to Keras 3): the weights live in the layer's cell, named as Keras 2 names them
 * ({@code lstm/lstm_cell/kernel:0}, {@code bidirectional/forward_gru/gru_cell_1/kernel:0}), and a Bidirectional's config
 * names the layer it was given (its weights are under {@code forward_<name>} and {@code backward_<name>}).
 */
public final class Keras2RecurrentZoo {
  /** One model: its name, how to write it and its input range (features, or token ids for an Embedding). */
  public record Entry(String name, Function<Path, Path> writer, double min, double max) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static final List<Entry> MODELS = List.of(
      new Entry("keras2_lstm_last", f -> single(f, "LSTM", lstm(6, false), 7, 3, 6), -2, 2),
      new Entry("keras2_lstm_wide", f -> single(f, "LSTM", lstm(16, false), 5, 3, 16), -2, 2), // 16 x 64 recurrent kernel: quantized weights
      new Entry("keras2_lstm_sequences", f -> single(f, "LSTM", lstm(5, true), 5, 4, 5), -2, 2),
      new Entry("keras2_gru_reset_after", f -> single(f, "GRU", gru(5, true, true), 6, 3, 5), -2, 2),
      new Entry("keras2_gru_reset_before", f -> single(f, "GRU", gru(4, false, false), 6, 3, 4), -2, 2),
      new Entry("keras2_simple_rnn", f -> single(f, "SimpleRNN", recurrent(6, false), 8, 3, 6), -2, 2),
      // batch_input_shape [null, null, 3]: the file keeps the length open, validation runs two lengths
      new Entry("keras2_lstm_open_length", f -> single(f, "LSTM", lstm(5, true), -1, 3, 5), -2, 2),
      new Entry("keras2_bidirectional_lstm", Keras2RecurrentZoo::bidirectionalLstm, -2, 2),
      new Entry("keras2_stacked_lstm_activity", Keras2RecurrentZoo::stackedLstmActivity, -2, 2),
      new Entry("keras2_bigru_text_classifier", Keras2RecurrentZoo::biGruTextClassifier, 0, 99));

  private Keras2RecurrentZoo() {}

  /** Settings Keras 2 writes for every recurrent layer (the importer reads the ones that change the math). */
  private static ObjectNode recurrent(long units, boolean sequences) {
    return KerasFileBuilder.config().put("units", units).put("activation", "tanh").put("use_bias", true).put("return_sequences", sequences)
        .put("return_state", false).put("go_backwards", false).put("stateful", false).put("unroll", false).put("time_major", false)
        .put("dropout", 0.0).put("recurrent_dropout", 0.0);
  }

  private static ObjectNode lstm(long units, boolean sequences) {
    return recurrent(units, sequences).put("recurrent_activation", "sigmoid").put("unit_forget_bias", true).put("implementation", 2);
  }

  private static ObjectNode gru(long units, boolean sequences, boolean resetAfter) {
    return recurrent(units, sequences).put("recurrent_activation", "sigmoid").put("reset_after", resetAfter).put("implementation", 2);
  }

  /** kernel, recurrent_kernel and bias of a recurrent layer, as Keras creates them. */
  private static List<long[]> weights(String className, ObjectNode config, long features) {
    long units = config.get("units").asLong();
    long gates = switch (className) {
      case "LSTM" -> 4;
      case "GRU" -> 3;
      default -> 1;
    };
    long[] bias = className.equals("GRU") && config.get("reset_after").asBoolean() ? new long[] {2, gates * units} : new long[] {gates * units};
    return List.of(new long[] {features, gates * units}, new long[] {units, gates * units}, bias);
  }

  private static long[] outShape(ObjectNode config, long steps) {
    long units = config.get("units").asLong();
    return config.get("return_sequences").asBoolean() ? new long[] {steps, units} : new long[] {units};
  }

  private static Path single(Path file, String className, ObjectNode config, long steps, long features, long units) {
    KerasFileBuilder k = new KerasFileBuilder(file.getFileName().toString(), 41);
    String x = k.input("x", steps, features);
    String name = className.equals("SimpleRNN") ? "simple_rnn" : className.toLowerCase();
    return k.writeKeras2(file, k.layer(className, name, config, outShape(config, steps), weights(className, config, features), x));
  }

  private static String bidirectional(KerasFileBuilder k, String name, String className, ObjectNode inner, String x, String mergeMode) {
    long[] in = k.shape(x);
    long steps = in[1];
    long features = in[2];
    String innerName = className.equals("SimpleRNN") ? "simple_rnn" : className.toLowerCase();
    ObjectNode wrapped = KerasFileBuilder.config().put("class_name", className);
    wrapped.set("config", inner.deepCopy().put("name", innerName));
    ObjectNode config = KerasFileBuilder.config().put("merge_mode", mergeMode);
    config.set("layer", wrapped);
    long[] one = outShape(inner, steps);
    long[] out = one.clone();
    out[out.length - 1] *= 2;
    List<long[]> w = new ArrayList<>(weights(className, inner, features));
    w.addAll(weights(className, inner, features));
    return k.layer("Bidirectional", name, config, out, w, x);
  }

  static Path bidirectionalLstm(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("bidirectional_lstm", 42);
    String x = bidirectional(k, "bidirectional", "LSTM", lstm(5, false), k.input("x", 6, 3), "concat");
    return k.writeKeras2(file, dense(k, "dense", x, 3, "linear"));
  }

  /** The activity classifier: IMU windows (20 steps, 6 axes), LSTM(16) sequences into LSTM(8), softmax over 4 activities. */
  static Path stackedLstmActivity(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("stacked_lstm_activity", 43);
    ObjectNode first = lstm(16, true);
    ObjectNode second = lstm(8, false);
    String x = k.layer("LSTM", "lstm", first, outShape(first, 20), weights("LSTM", first, 6), k.input("imu", 20, 6));
    x = k.layer("LSTM", "lstm_1", second, outShape(second, 20), weights("LSTM", second, 16), x);
    return k.writeKeras2(file, dense(k, "activity", x, 4, "softmax"));
  }

  /** The text classifier: token ids (vocabulary 100) through an Embedding, a Bidirectional GRU, a sigmoid score. */
  static Path biGruTextClassifier(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("bigru_text_classifier", 44);
    String x = k.input("tokens", "int32", 12);
    x = k.layer("Embedding", "embedding", KerasFileBuilder.config().put("input_dim", 100).put("output_dim", 8).put("mask_zero", false),
        new long[] {12, 8}, List.of(new long[] {100, 8}), x);
    x = bidirectional(k, "bidirectional", "GRU", gru(6, false, true), x, "concat");
    return k.writeKeras2(file, dense(k, "score", x, 1, "sigmoid"));
  }
}
