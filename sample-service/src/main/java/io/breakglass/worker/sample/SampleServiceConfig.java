package io.breakglass.worker.sample;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * The sample protected service: where it listens, the keyring file its deployment target publishes,
 * the secret store it resolves key material from, and where it keeps charts, snapshots and its log.
 * {@code toString} leaves out the hash key and the reload token.
 *
 * @param host address to bind (default {@code 127.0.0.1})
 * @param port port to bind; 0 (the default) picks a free one
 * @param deployment its name in the keyring file (default {@code backend})
 * @param keyringFile the keyring file a deployment target publishes (version ids only)
 * @param secretStore the local encrypted store the versions are resolved in
 * @param artifactDirectory chart artifacts, laid out as the {@code chart-artifacts} data set
 * @param logFile JSON log lines ({@code chart_upload.saved}, ...)
 * @param chartSecret the data key of charts (default {@code artifact-encryption-key})
 * @param snapshotSecret the data key of AI snapshots (default {@code ai-payload-encryption-key})
 * @param patientHashKey the key of the patient hash (HMAC-SHA256) the log carries; never logged
 * @param reloadToken the bearer token {@code POST /admin/reload} and {@code /admin/faults} require
 * @param jwtSecret the signing secret of {@code GET /session}'s bearer tokens (default {@code jwt})
 */
public record SampleServiceConfig(
    String host,
    Integer port,
    String deployment,
    @NotNull Path keyringFile,
    @Valid @NotNull LocalSecretStoreConfig secretStore,
    @NotNull Path artifactDirectory,
    @NotNull Path logFile,
    String chartSecret,
    String snapshotSecret,
    @NotBlank String patientHashKey,
    @NotBlank String reloadToken,
    String jwtSecret) {

  public SampleServiceConfig {
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
    port = port == null ? 0 : port;
    deployment = deployment == null ? "backend" : deployment;
    chartSecret = chartSecret == null ? "artifact-encryption-key" : chartSecret;
    snapshotSecret = snapshotSecret == null ? "ai-payload-encryption-key" : snapshotSecret;
    jwtSecret = jwtSecret == null ? "jwt" : jwtSecret;
  }

  /** A service whose sessions are signed with the secret {@code jwt}. */
  public SampleServiceConfig(
      String host,
      Integer port,
      String deployment,
      Path keyringFile,
      LocalSecretStoreConfig secretStore,
      Path artifactDirectory,
      Path logFile,
      String chartSecret,
      String snapshotSecret,
      String patientHashKey,
      String reloadToken) {
    this(
        host,
        port,
        deployment,
        keyringFile,
        secretStore,
        artifactDirectory,
        logFile,
        chartSecret,
        snapshotSecret,
        patientHashKey,
        reloadToken,
        null);
  }

  @Override
  public String toString() {
    return "SampleServiceConfig["
        + host
        + ":"
        + port
        + ", deployment="
        + deployment
        + ", keyringFile="
        + keyringFile
        + ", artifactDirectory="
        + artifactDirectory
        + ", logFile="
        + logFile
        + "]";
  }
}
