package io.breakglass.worker.embedded;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Temporal CLI is, whose {@code temporal server start-dev} is the real Temporal server
 * with its Web UI. Looked for in this order: the file {@value #ENV} names; {@code temporal} on the
 * {@code PATH}; {@code .tools/bin/temporal} (where {@code bin/install-prerequisites} builds the
 * pinned version) in the working directory or a folder above it, or above the running jar.
 */
public final class TemporalCli {

  /** The environment variable that names the binary explicitly. */
  public static final String ENV = "BREAKGLASS_TEMPORAL_CLI";

  /** The version {@code bin/install-prerequisites} builds (its server is Temporal 1.29.1). */
  public static final String PINNED_VERSION = "v1.5.1";

  /** Where {@code bin/install-prerequisites} puts it, relative to the project folder. */
  public static final Path PROJECT_TOOLS = Path.of(".tools", "bin", "temporal");

  /**
   * What an operator without the CLI is missing, in one line: printed when {@code dev} or {@code
   * demo} falls back to the embedded test server.
   */
  public static final String MISSING =
      "no Temporal CLI (temporal on the PATH or .tools/bin/temporal): running on the embedded test"
          + " server, without the Web UI, and nothing survives a restart; install Go and run"
          + " bin/install-prerequisites to build the real server";

  private TemporalCli() {}

  /** The binary, from the process environment and working directory. */
  public static Optional<Path> find() {
    return find(System.getenv(), Path.of("").toAbsolutePath(), jarFolder());
  }

  static Optional<Path> find(
      Map<String, String> environment, Path workingDirectory, Path jarFolder) {
    String named = environment.get(ENV);
    if (named != null && !named.isBlank()) {
      Path binary = Path.of(named.strip());
      if (!Files.isExecutable(binary)) {
        throw new IllegalArgumentException(ENV + "=" + named + " is not an executable file");
      }
      return Optional.of(binary);
    }
    List<Path> candidates = new ArrayList<>();
    String path = environment.getOrDefault("PATH", "");
    for (String folder : path.split(":")) {
      if (!folder.isBlank()) {
        candidates.add(Path.of(folder, "temporal"));
      }
    }
    for (Path start : new Path[] {workingDirectory, jarFolder}) {
      for (Path folder = start; folder != null; folder = folder.getParent()) {
        candidates.add(folder.resolve(PROJECT_TOOLS));
      }
    }
    return candidates.stream()
        .filter(c -> Files.isRegularFile(c) && Files.isExecutable(c))
        .findFirst();
  }

  private static Path jarFolder() {
    try {
      Path location =
          Path.of(TemporalCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.toAbsolutePath().getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
