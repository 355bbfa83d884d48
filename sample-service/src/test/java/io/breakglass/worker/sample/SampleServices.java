package io.breakglass.worker.sample;

import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A sample service laid out in a test folder the way {@code Testbed} and {@code LocalStores} lay
 * it.
 */
public final class SampleServices {

  public static final String HASH_KEY = "test-patient-hash-key";
  public static final String TOKEN = "test-reload-token";

  /**
   * The variable the reload-endpoint target reads the token from (tests pass their own
   * environment).
   */
  public static final String TOKEN_ENV = "SAMPLE_RELOAD_TOKEN";

  private SampleServices() {}

  /**
   * The configuration of a service in {@code root}: keyring {@code keyrings/backend.json}, store
   * {@code secrets.store} with {@code master.key}, charts in {@code artifacts}, log in {@code
   * logs/sample.log}; {@code port} 0 picks one.
   */
  public static SampleServiceConfig config(Path root, int port) {
    return new SampleServiceConfig(
        null,
        port,
        "backend",
        keyringFile(root),
        new LocalSecretStoreConfig(
            root.resolve("secrets.store"),
            "SAMPLE_TEST_UNSET_MASTER_KEY",
            root.resolve("master.key")),
        root.resolve("artifacts"),
        root.resolve("logs/sample.log"),
        null,
        null,
        HASH_KEY,
        TOKEN);
  }

  public static Path keyringFile(Path root) {
    return root.resolve("keyrings/backend.json");
  }

  public static URI reloadUrl(int port) {
    return URI.create("http://127.0.0.1:" + port + "/admin/reload");
  }

  /**
   * The smoke checks the runbook asks for, against a service on {@code port}: upload a canary chart
   * and read it back, write a snapshot and check its stored envelope carries the new key id,
   * health.
   */
  public static List<HttpCheckConfig> smokeChecks(int port) {
    return SampleSmokeChecks.against(URI.create("http://127.0.0.1:" + port));
  }

  /**
   * A loopback port free right now, for a service whose URL must be configured before it starts.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
