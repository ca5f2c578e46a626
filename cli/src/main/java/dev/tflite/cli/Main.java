package dev.tflite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar tflite-cli.jar convert|validate ...}: the plugin's library and reports, without Maven. */
@Command(name = "tflite", mixinStandardHelpOptions = true, version = PipelineRun.VERSION,
    description = "Converts TensorFlow models to TensorFlow Lite and validates them against TensorFlow.",
    subcommands = {ConvertCommand.class, ValidateCommand.class, RunCommand.class})
public final class Main {
  @CommandLine.Option(names = "--native-logs", scope = CommandLine.ScopeType.INHERIT,
      description = "also show TensorFlow's and TensorFlow Lite's own log lines (hidden by default; errors always show)")
  void nativeLogs(boolean show) {
    dev.tflite.runtime.NativeLogs.configure(show);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code: 0 success, 1 drift or conversion failure, 2 usage error. */
  public static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
