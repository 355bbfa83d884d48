package io.breakglass.worker.rotation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Histories exported from the real Temporal server the way an operator exports one, with its CLI:
 * {@code temporal workflow show --output json}. Like {@link Histories}, they reach the checked-in
 * replay folder only behind {@code -Dbreakglass.regenerateHistories=true}.
 */
public final class CliHistories {

  private static final long EXPORT_TIMEOUT_SECONDS = 60;

  private CliHistories() {}

  /**
   * The CLI's JSON of the latest run of {@code workflowId} on the server at {@code target}
   * (namespace default); throws with the CLI's output if it fails.
   */
  public static String export(Path cli, String target, String workflowId) {
    List<String> command =
        List.of(
            cli.toString(),
            "workflow",
            "show",
            "--address",
            target,
            "--namespace",
            "default",
            "--workflow-id",
            workflowId,
            "--output",
            "json");
    try {
      Path output = Files.createTempFile("history-", ".json");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(EXPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command) + " exited with " + process.exitValue() + ": " + errors);
        }
        return Files.readString(output);
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cli, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while exporting " + workflowId, e);
    }
  }

  /** Keeps {@code json} as the checked-in history {@code name}, if regeneration was asked for. */
  public static void keepIfAsked(String json, String name) {
    if (!Boolean.getBoolean(Histories.FLAG)) {
      return;
    }
    try {
      Files.createDirectories(Histories.FOLDER);
      Files.writeString(Histories.FOLDER.resolve(name + ".json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
