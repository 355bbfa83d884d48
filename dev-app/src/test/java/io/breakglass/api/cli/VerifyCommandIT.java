package io.breakglass.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.dev.DevStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's {@code verify}, pointed at a running dev stack through the dev-worker.yml it
 * writes: it reports the key ids, exits 3 naming an undecryptable row (never its content), and with
 * {@code --expect-current} exits 2 when items are not under the CURRENT version.
 */
class VerifyCommandIT {

  @TempDir Path data;

  @Test
  void verify_countsKeyIds_namesCorruptRowsByIdOnly_andExitsWithCodesAScriptCanUse()
      throws Exception {
    try (DevStack stack =
        DevStack.start(new DevLayout(data), 0, 0, new DevStack.DemoSize(300, 10, 1_024), quiet())) {
      DevConfigurationFile.write(stack, DevUsers.create(), 0, 0);
      Path config = stack.layout().workerConfiguration();
      String payloadKey = stack.currentKey(DevSettings.PAYLOAD_KEY).toString();

      Run clean = verify(config);
      corruptRow(stack, 42);
      Run corrupt = verify(config, "--data-set", "ai-snapshots");
      makeANewCurrentVersion(stack);
      Run stale = verify(config, "--data-set", "chart-artifacts", "--expect-current");

      assertThat(clean.exit()).as(clean.output()).isZero();
      assertThat(clean.output())
          .contains("     300 under " + payloadKey + " (CURRENT, ACTIVE)")
          .contains("every item decrypts");
      assertThat(corrupt.exit()).as(corrupt.output()).isEqualTo(VerifyCommand.UNDECRYPTABLE);
      assertThat(corrupt.output())
          .contains("42: AUTHENTICATION_FAILED")
          .doesNotContain("Synthetic");
      assertThat(stale.exit()).as(stale.output()).isEqualTo(VerifyCommand.UNDER_OTHER_VERSIONS);
      assertThat(stale.output()).contains("(PREVIOUS, ACTIVE)");
    }
  }

  private record Run(int exit, String output) {}

  private Run verify(Path config, String... options) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "breakglass-dev.jar").toString(),
                "verify"));
    command.addAll(List.of(options));
    command.add(config.toString());
    Path log = Files.createTempFile(data, "verify", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("verify did not finish: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log));
  }

  /** Row 42 gets row 43's envelope: well-formed, but bound to another row. */
  private static void corruptRow(DevStack stack, long id) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(stack.jdbcUrl(DevSettings.APP_DATABASE));
        Statement statement = connection.createStatement()) {
      statement.execute(
          "UPDATE ai_json_snapshots SET payload = (SELECT payload FROM ai_json_snapshots WHERE id = "
              + (id + 1)
              + ") WHERE id = "
              + id);
    }
  }

  private static void makeANewCurrentVersion(DevStack stack) {
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    stack.store().createPending(DevSettings.ARTIFACT_KEY, "unrotated", material, Map.of());
    stack.store().moveCurrent(DevSettings.ARTIFACT_KEY, "unrotated");
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
