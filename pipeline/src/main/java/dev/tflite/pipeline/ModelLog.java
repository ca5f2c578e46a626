package dev.tflite.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Log lines of one model, collected while it runs on a worker thread and printed as one block afterwards. */
public final class ModelLog {
  public enum Level { INFO, WARN, ERROR }

  public record Line(Level level, String text) {}

  /** Where a front end prints lines: the Maven log, or the console. */
  public interface Sink {
    void info(String text);

    void warn(String text);

    void error(String text);
  }

  private final String prefix;
  private final List<Line> lines = new ArrayList<>();

  public ModelLog(String model) {
    this.prefix = "[" + model + "] ";
  }

  public void info(String text) {
    lines.add(new Line(Level.INFO, prefix + text));
  }

  public void warn(String text) {
    lines.add(new Line(Level.WARN, prefix + text));
  }

  public void error(String text) {
    lines.add(new Line(Level.ERROR, prefix + text));
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  public void printTo(Sink sink) {
    for (Line line : lines) {
      switch (line.level()) {
        case INFO -> sink.info(line.text());
        case WARN -> sink.warn(line.text());
        case ERROR -> sink.error(line.text());
      }
    }
  }
}
