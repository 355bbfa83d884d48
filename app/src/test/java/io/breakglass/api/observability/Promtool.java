package io.breakglass.api.observability;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool} (package {@code prometheus}, which {@code bin/install-prerequisites
 * --tests} installs, as the tests that start a real Prometheus need): missing, a test fails and
 * says how to install it.
 */
final class Promtool {

  /** What a run printed and how it exited. */
  record Run(int exitCode, String output) {}

  private Promtool() {}

  static Run run(Path workingDirectory, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(executable().toString()));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("promtool did not finish within 60 s:\n" + output);
    }
    return new Run(process.exitValue(), output);
  }

  private static Path executable() throws IOException {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(folder, "promtool");
      if (!folder.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "promtool is not on PATH: install Debian's prometheus package"
            + " (bin/install-prerequisites --tests)");
  }
}
