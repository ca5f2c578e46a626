package dev.tflite.pipeline;

import java.util.List;

/** Every configuration problem found in all models, reported at once, each already spelled for its front end. */
public final class ConfigurationProblems extends Exception {
  private final List<String> problems;

  public ConfigurationProblems(String tool, List<String> problems) {
    super("invalid " + tool + " configuration (" + problems.size() + " problem(s)):\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
