package io.breakglass.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.worker.embedded.LocalTemporal;
import io.breakglass.worker.embedded.RealTemporal;
import io.breakglass.worker.embedded.TemporalCli;
import io.breakglass.worker.embedded.TemporalDevServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --temporal}: which server dev and demo start, and the one line said when falling back. */
class DevTemporalTest {

  @TempDir Path data;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void auto_withoutTheTemporalCli_fallsBackToTheTestServer_sayingWhatIsMissingInOneLine() {
    DevTemporal auto = new DevTemporal(DevTemporal.Mode.AUTO, 0, 0, null);
    try (LocalTemporal temporal = auto.start(new DevLayout(data), out, Optional.empty())) {
      assertThat(temporal).isInstanceOf(EmbeddedTemporal.class);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo(TemporalCli.MISSING + System.lineSeparator());
  }

  @Test
  void real_withoutTheTemporalCli_refusesToStart() {
    DevTemporal real = new DevTemporal(DevTemporal.Mode.REAL, 0, 0, null);

    assertThatThrownBy(() -> real.start(new DevLayout(data), out, Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("--temporal=real: no Temporal CLI");
  }

  @Test
  void auto_withTheTemporalCli_startsTheRealServer_withItsDatabaseInTheDataFolder_andSaysNothing() {
    Path cli = RealTemporal.cliOrSkip();
    DevLayout layout = new DevLayout(data);
    DevTemporal auto = new DevTemporal(DevTemporal.Mode.AUTO, 0, 0, null);
    try (LocalTemporal temporal = auto.start(layout, out, Optional.of(cli))) {
      assertThat(temporal).isInstanceOf(TemporalDevServer.class);
      assertThat(temporal.webUi()).isPresent();
    }
    assertThat(layout.temporalDatabase()).exists();
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void theModeIsParsedFromTheFlag_andAnUnknownOneIsNamed() {
    assertThat(DevTemporal.Mode.parse("Real")).isEqualTo(DevTemporal.Mode.REAL);
    assertThatThrownBy(() -> DevTemporal.Mode.parse("docker"))
        .hasMessage("--temporal must be embedded, real or auto, got 'docker'");
  }
}
