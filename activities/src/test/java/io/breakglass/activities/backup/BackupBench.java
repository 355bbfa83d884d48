package io.breakglass.activities.backup;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.workflows.activities.BackupActivities;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * {@link BackupActivitiesImpl} over one data set, run as an activity in a {@link
 * TestActivityEnvironment} that records its heartbeats. Backups are encrypted under a backup key of
 * their own, in a keyring apart from the data keys.
 */
final class BackupBench implements AutoCloseable {

  final List<Long> heartbeats = new CopyOnWriteArrayList<>();
  final BackupConfig config;
  final ProtectedDataSets dataSets;
  final BackupActivities activities;
  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();

  /** A bench whose backups use {@code backupKeys}. */
  BackupBench(
      Path backups,
      int sampleSize,
      DataSetConfig dataSet,
      Map<String, DataSource> databases,
      MapKeyring keyring,
      BackupKeys backupKeys) {
    this(new BackupConfig(backups, sampleSize), dataSet, databases, keyring, backupKeys, null);
  }

  /** A bench with {@code config} as given, and S3 at {@code aws} for S3 data sets and backups. */
  BackupBench(
      BackupConfig config,
      DataSetConfig dataSet,
      Map<String, DataSource> databases,
      MapKeyring keyring,
      BackupKeys backupKeys,
      AwsConfig aws) {
    this.config = config;
    dataSets = dataSets(config, dataSet, databases, aws);
    environment.registerActivitiesImplementations(
        new BackupActivitiesImpl(
            config, dataSets, databases, () -> keyring, () -> backupKeys, aws));
    environment.setActivityHeartbeatListener(Long.class, heartbeats::add);
    activities =
        environment.newActivityStub(
            BackupActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  /** The one configured data set, with its secret and {@code config} as the backups. */
  static ProtectedDataSets dataSets(
      BackupConfig config, DataSetConfig dataSet, Map<String, DataSource> databases) {
    return dataSets(config, dataSet, databases, null);
  }

  /** The same, with S3 at {@code aws} for an S3 data set. */
  static ProtectedDataSets dataSets(
      BackupConfig config,
      DataSetConfig dataSet,
      Map<String, DataSource> databases,
      AwsConfig aws) {
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(
                config.directory().resolve("unused-secret-store"), null, null),
            List.of(new SecretConfig(dataSet.secret(), SecretKind.DATA_KEY)),
            List.of(dataSet),
            null,
            null,
            config,
            null,
            aws);
    return new ProtectedDataSets(settings, databases);
  }

  /** A fresh backup key, {@code breakglass-backup-key:b1}, in a keyring of its own. */
  static BackupKeys ownBackupKey() {
    MapKeyring backupKeyring = new MapKeyring();
    return BackupKeys.of(backupKeyring.add("breakglass-backup-key", "b1"), backupKeyring);
  }

  /** The {@link ApplicationFailure} behind what {@code call} throws. */
  static ApplicationFailure failureOf(ThrowingCallable call) {
    ApplicationFailure[] failure = new ApplicationFailure[1];
    assertThatThrownBy(call)
        .satisfies(
            thrown -> {
              Throwable cause = thrown;
              while (cause != null && !(cause instanceof ApplicationFailure)) {
                cause = cause.getCause();
              }
              failure[0] = (ApplicationFailure) cause;
            });
    if (failure[0] == null) {
      throw new AssertionError("no ApplicationFailure was thrown");
    }
    return failure[0];
  }

  @Override
  public void close() {
    environment.close();
  }
}
