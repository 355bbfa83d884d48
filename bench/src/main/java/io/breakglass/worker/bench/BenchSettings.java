package io.breakglass.worker.bench;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.SecretKind;
import java.time.Duration;
import java.util.List;

/**
 * The bench's configuration: the two data keys and the data sets they protect, no deployment (so a
 * rotation restarts nothing and waits for no operator), default approval policy.
 */
final class BenchSettings {

  static final String ROWS = "ai-snapshots";
  static final String FILES = "chart-artifacts";

  /**
   * The data sets' concurrency, and the threads of every hand-written loop: the two of
   * docs/architecture.md's performance targets.
   */
  static final int PARALLEL = 2;

  /** Artifacts per shard and per batch, as the example configuration has them. */
  static final int FILE_SHARD = 200;

  static final int FILE_BATCH = 25;

  /** The bench measures re-encryption: there is no service to smoke-check. */
  private static final SecretSmokeConfig NO_SERVICE =
      SecretSmokeConfig.allowNoChecks("the bench runs no service; it measures re-encryption");

  private BenchSettings() {}

  static RotationSettings create(DevLayout layout, BenchOptions options) {
    return new RotationSettings(
        new LocalSecretStoreConfig(layout.secretStore(), null, layout.masterKey()),
        List.of(
            new SecretConfig(DevSettings.PAYLOAD_KEY, SecretKind.DATA_KEY).withSmoke(NO_SERVICE),
            new SecretConfig(DevSettings.ARTIFACT_KEY, SecretKind.DATA_KEY).withSmoke(NO_SERVICE)),
        List.of(
            new DataSetConfig(
                ROWS,
                DevSettings.PAYLOAD_KEY,
                DataSetType.POSTGRES_COLUMN,
                DevSettings.APP_DATABASE,
                SnapshotRows.TABLE,
                "id",
                "payload",
                EnvelopeFormat.JSON,
                null,
                AssociatedDataMode.ROW_ID,
                options.shardSize(),
                options.batchSize(),
                PARALLEL,
                0,
                null),
            new DataSetConfig(
                FILES,
                DevSettings.ARTIFACT_KEY,
                DataSetType.ARTIFACT_DIRECTORY,
                null,
                null,
                null,
                null,
                null,
                layout.artifacts(),
                AssociatedDataMode.OBJECT_PATH,
                FILE_SHARD,
                FILE_BATCH,
                PARALLEL,
                0,
                null)),
        List.of(),
        // The bench times re-encryption: no deployment runs on the new versions, none to watch.
        PolicyConfig.defaults().withMonitoringInterval(Duration.ZERO),
        new BackupConfig(layout.backups(), 20),
        NotificationConfig.logOnly());
  }
}
