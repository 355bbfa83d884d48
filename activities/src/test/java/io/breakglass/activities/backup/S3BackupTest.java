package io.breakglass.activities.backup;

import static io.breakglass.activities.backup.BackupBench.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.testing.LocalS3;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.S3Artifacts;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

class S3BackupTest {

  private static final int OBJECTS = 30;
  private static final String ROTATION = "r1";
  private static final String DATA_SET = "chart-objects";
  private static final String BACKUP_ID = ROTATION + "/" + DATA_SET;

  @RegisterExtension static final LocalS3.PerClass s3 = new LocalS3.PerClass();

  @TempDir Path spool;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private S3Client client;
  private S3Artifacts artifacts;
  private BackupBench bench;
  private String backups;

  @BeforeAll
  static void buckets() {
    s3.get().createBucket("charts");
    s3.get().createBucket("backups");
  }

  @BeforeEach
  void seed() {
    client = s3.get().client();
    artifacts = new S3Artifacts(client, keyring, "charts", "tenant-" + System.nanoTime() + "/");
    artifacts.seed(OBJECTS, v1);
    backups = "breakglass-" + System.nanoTime() + "/";
    bench =
        new BackupBench(
            new BackupConfig(spool, 5, new S3Location("backups", backups)),
            artifacts.config(v1.secret(), 100, 10),
            Map.of(),
            keyring,
            BackupBench.ownBackupKey(),
            s3.get().aws());
  }

  @AfterEach
  void close() {
    bench.close();
    client.close();
  }

  @Test
  void aBackupOfAnS3DataSet_isVerified_keptInTheBackupBucket_andLeavesNothingInTheSpool() throws Exception {
    BackupRecord record = backup();

    assertThat(record.items()).isEqualTo(OBJECTS);
    assertThat(record.sampleVerified()).isEqualTo(5);
    assertThat(record.location()).isEqualTo("s3://backups/" + backups + "r1/chart-objects.bgbak");
    assertThat(size(backups + "r1/chart-objects.bgbak")).isEqualTo(record.bytes());
    assertThat(size(backups + "r1/chart-objects.manifest.json")).isPositive();
    try (var left = Files.walk(spool)) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void theRestore_downloadsTheBackup_andPutsBackOnlyTheObjectThatNoLongerDecrypts() {
    backup();
    Map<String, String> before = artifacts.plaintextDigests();
    String damaged = "patient-00/chart-0000.pdf";
    artifacts.put(damaged, artifacts.stored("patient-00/chart-0002.pdf"));

    RestoreResult result = restore();

    assertThat(result.restored()).isEqualTo(1);
    assertThat(result.stillUndecryptable()).isZero();
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void aRestoreFromABackupThatS3DoesNotHold_failsNamingIt() {
    var failure = failureOf(this::restore);

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("backup r1/chart-objects is missing");
  }

  @Test
  void anObjectAboveTheMultipartThreshold_failsTheBackupNamingIt_ratherThanLeavingItOut() {
    artifacts.writeLarge("patient-01/scan-0000.dcm", 6L << 20, v1);

    var failure = failureOf(this::backup);

    assertThat(failure.getType()).isEqualTo(RotationErrors.BACKUP_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("object patient-01/scan-0000.dcm is above the multipart threshold");
  }

  private long size(String key) {
    return client.headObject(HeadObjectRequest.builder().bucket("backups").key(key).build()).contentLength();
  }

  private BackupRecord backup() {
    return bench.activities.backup(new BackupRequest(ROTATION, DATA_SET));
  }

  private RestoreResult restore() {
    return bench.activities.restoreUndecryptable(new RestoreRequest(ROTATION, DATA_SET, BACKUP_ID));
  }
}
