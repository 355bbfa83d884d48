package io.breakglass.worker.dev;

import java.nio.file.Path;

/**
 * Where {@code dev} and {@code demo} keep their state, under one data folder created on first run:
 * the master key, the payload codec key, the local secret store, PostgreSQL's files, the chart
 * artifacts, backups and the published keyring. Delete the folder to start from scratch.
 *
 * @param root the data folder
 */
public record DevLayout(Path root) {

  /** The default data folder, relative to the working directory. */
  public static final Path DEFAULT_ROOT = Path.of(".breakglass");

  public Path masterKey() {
    return root.resolve("master.key");
  }

  /** The key of the payload codec that encrypts what {@code dev} stores in Temporal (0600). */
  public Path codecKey() {
    return root.resolve("codec.key");
  }

  public Path secretStore() {
    return root.resolve("secrets.store");
  }

  /** The real Temporal server's SQLite database: rotations in flight survive a restart of dev. */
  public Path temporalDatabase() {
    return root.resolve("temporal.db");
  }

  /** The real Temporal server's own output. */
  public Path temporalLog() {
    return root.resolve("logs").resolve("temporal.log");
  }

  public Path postgres() {
    return root.resolve("postgres");
  }

  public Path artifacts() {
    return root.resolve("artifacts");
  }

  public Path backups() {
    return root.resolve("backups");
  }

  /** The operator API's configuration {@code dev} writes and runs the API on. */
  public Path configuration() {
    return root.resolve("dev.yml");
  }

  /** The worker's configuration {@code dev} writes for other commands (verify, adopt) to use. */
  public Path workerConfiguration() {
    return root.resolve("dev-worker.yml");
  }

  /** The JSON log of the sample service (the demo's {@code backend}; METRIC_WATCH scans it). */
  public Path sampleLog() {
    return root.resolve("logs").resolve("sample.log");
  }

  /** The dev users of the operator API and their bearer tokens (0600), written by {@code dev}. */
  public Path users() {
    return root.resolve("dev-users.json");
  }

  /**
   * The bearer token the codec server lets the local Temporal Web UI in with (0600, new each run):
   * that UI has no sign-in to send one.
   */
  public Path webUiToken() {
    return root.resolve("web-ui.token");
  }

  /**
   * Optional: the {@code rotation.approvals} rules of dev and the demo in JSON (see {@link
   * DevApprovals}); without it unsigned decisions count, marked unverified.
   */
  public Path approvals() {
    return root.resolve("approvals.json");
  }

  public Path keyring(String deployment) {
    return root.resolve("keyrings").resolve(deployment + ".json");
  }
}
