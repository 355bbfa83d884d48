package io.breakglass.worker.embedded;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Temporal CLI for the tests that run on the real server. Without it they are skipped with the
 * reason, unless {@value #REQUIRED} is set (CI sets it once it has installed the CLI): then they
 * fail, so a build that lost the CLI cannot pass by skipping them.
 */
public final class RealTemporal {

  /** The environment variable that turns a missing CLI from a skip into a failure. */
  public static final String REQUIRED = "BREAKGLASS_REQUIRE_REAL_TEMPORAL";

  private RealTemporal() {}

  /** The CLI, or the test is skipped (or failed, see {@value #REQUIRED}). */
  public static Path cliOrSkip() {
    Optional<Path> cli = TemporalCli.find();
    if (cli.isEmpty() && System.getenv(REQUIRED) != null) {
      fail(REQUIRED + " is set but " + TemporalCli.MISSING);
    }
    assumeTrue(
        cli.isPresent(), "the real Temporal server is not installed here: " + TemporalCli.MISSING);
    return cli.get();
  }
}
