package io.breakglass.worker.rotation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The independent Python application in {@code samples/legacy-app}, run as a process: it writes and
 * reads its notes with its own AES-GCM envelope under keys given in its environment. Its
 * interpreter is {@code .tools/python/bin/python} (the venv {@code bin/install-prerequisites
 * --tests} makes, with {@code psycopg}) where it exists, else {@code python3}.
 *
 * @param dsn the libpq connection string of the application's database
 * @param table its table
 * @param folder its folder
 */
public record LegacyApp(String dsn, String table, Path folder) {

  /** What one run printed and returned. */
  public record Run(int exitCode, String out, String err) {}

  /** Writes {@code count} rows and {@code count} files under {@code key}. */
  public Run write(int count, byte[] key) {
    return run(List.of("write", "--count", Integer.toString(count)), key, null);
  }

  /** Reads every row and file with {@code current}, and {@code previous} when it is not null. */
  public Run read(byte[] current, byte[] previous) {
    return run(List.of("read"), current, previous);
  }

  private Run run(List<String> arguments, byte[] current, byte[] previous) {
    Path root = repositoryRoot();
    List<String> command = new ArrayList<>();
    command.add(python(root));
    command.add(root.resolve("samples/legacy-app/legacy_app.py").toString());
    command.addAll(arguments);
    command.addAll(List.of("--dsn", dsn, "--table", table, "--folder", folder.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.put("LEGACY_APP_KEY", Base64.getEncoder().encodeToString(current));
    if (previous != null) {
      environment.put("LEGACY_APP_PREVIOUS_KEY", Base64.getEncoder().encodeToString(previous));
    }
    try {
      Path out = Files.createTempFile("legacy-app", ".out");
      Path err = Files.createTempFile("legacy-app", ".err");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the legacy app did not finish in 60 s: " + command);
      }
      Run run =
          new Run(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String python(Path root) {
    Path venv = root.resolve(".tools/python/bin/python");
    return Files.isExecutable(venv) ? venv.toString() : "python3";
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("samples/legacy-app/legacy_app.py"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "samples/legacy-app/legacy_app.py not found above " + Path.of("").toAbsolutePath());
  }
}
