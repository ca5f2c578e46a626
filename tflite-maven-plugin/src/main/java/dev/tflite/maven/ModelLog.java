package dev.tflite.maven;

import java.util.ArrayList;
import java.util.List;

/** Log lines of one model, collected while it runs on a worker thread and printed as one block afterwards. */
final class ModelLog {
  enum Level { INFO, WARN, ERROR }

  record Line(Level level, String text) {}

  private final String prefix;
  private final List<Line> lines = new ArrayList<>();

  ModelLog(String model) {
    this.prefix = "[" + model + "] ";
  }

  void info(String text) {
    lines.add(new Line(Level.INFO, prefix + text));
  }

  void warn(String text) {
    lines.add(new Line(Level.WARN, prefix + text));
  }

  void error(String text) {
    lines.add(new Line(Level.ERROR, prefix + text));
  }

  void printTo(org.apache.maven.plugin.logging.Log log) {
    for (Line line : lines) {
      switch (line.level()) {
        case INFO -> log.info(line.text());
        case WARN -> log.warn(line.text());
        case ERROR -> log.error(line.text());
      }
    }
  }
}
