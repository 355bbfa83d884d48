package io.breakglass.worker.sample;

import io.breakglass.activities.config.CommandCheckConfig;
import io.breakglass.activities.config.HttpCheckConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The sample service's {@code tests/test_security_controls.py}, the runbook's "regression API
 * health check": pytest tests that call the service over HTTP (health; {@code /session} refuses a
 * missing, malformed, unsigned or forged token; a chart upload's answer and the metrics carry no
 * raw patient identifier). They ship inside the worker and are written out beside the service, to
 * be run by a smoke check of kind {@code command}.
 */
public final class SecurityControlTests {

  /** The test file, relative to the folder {@link #install} writes to. */
  public static final String FILE = "tests/test_security_controls.py";

  private static final List<String> FILES = List.of("tests/conftest.py", FILE);

  private SecurityControlTests() {}

  /** Writes {@code tests/} with the pytest files into {@code folder}; returns {@code folder}. */
  public static Path install(Path folder) {
    try {
      Files.createDirectories(folder.resolve("tests"));
      for (String file : FILES) {
        try (InputStream in = SecurityControlTests.class.getResourceAsStream(file)) {
          if (in == null) {
            throw new IllegalStateException(file + " is missing from the worker's resources");
          }
          Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the security control tests to " + folder, e);
    }
  }

  /**
   * The smoke check that runs them, in {@code folder} (as {@link #install} left it), against the
   * service at {@code base}: {@code python3 -m pytest tests/test_security_controls.py}. It covers
   * no secret of its own: the HTTP checks cover the rotated ones.
   */
  public static HttpCheckConfig check(Path folder, URI base) {
    CommandCheckConfig command =
        new CommandCheckConfig(
            List.of(
                "python3",
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                FILE,
                "--service-url",
                base.toString()),
            folder.toString(),
            Duration.ofMinutes(2),
            null,
            20);
    return HttpCheckConfig.command("security controls (pytest)", command, null);
  }
}
