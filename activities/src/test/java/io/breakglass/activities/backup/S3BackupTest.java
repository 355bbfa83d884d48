package io.breakglass.activities.backup;

import static io.breakglass.activities.backup.BackupBench.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.activities.testing.LocalS3;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.S3Artifacts;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  /** Sorts after every small object: the backup's last entry. */
  private static final String LARGE = "patient-01/scan-0000.dcm";

  @RegisterExtension static final LocalS3.PerClass s3 = new LocalS3.PerClass();

  @TempDir Path spool;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private final BackupKeys backupKeys = BackupBench.ownBackupKey();
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
    bench = bench(5);
  }

  private BackupBench bench(int sampleSize) {
    return new BackupBench(
        new BackupConfig(spool, sampleSize, new S3Location("backups", backups)),
        artifacts.config(v1.secret(), 100, 10),
        Map.of(),
        keyring,
        backupKeys,
        s3.get().aws());
  }

  @AfterEach
  void close() {
    bench.close();
    client.close();
  }

  @Test
  void aBackupOfAnS3DataSet_isVerified_keptInTheBackupBucket_andLeavesNothingInTheSpool()
      throws Exception {
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
  void aLargeObject_isStreamedIntoTheBackup_sampledAndVerified_andRestoredByteForByte()
      throws Exception {
    artifacts.writeLarge(LARGE, 18L << 20, v1);
    String etag = artifacts.etag(LARGE);
    String ciphertext = sha256(artifacts.stored(LARGE));
    Map<String, String> before = artifacts.plaintextDigests();
    useBench(bench(OBJECTS + 1));

    BackupRecord record = backup();
    artifacts.put(LARGE, artifacts.stored("patient-00/chart-0002.pdf"));
    artifacts.put("patient-00/chart-0000.pdf", artifacts.stored("patient-00/chart-0002.pdf"));
    RestoreResult result = restore();

    assertThat(record.items()).isEqualTo(OBJECTS + 1);
    assertThat(record.sampleVerified()).as("every item, the large one too").isEqualTo(OBJECTS + 1);
    assertThat(result.restored()).isEqualTo(2);
    assertThat(result.stillUndecryptable()).isZero();
    assertThat(sha256(artifacts.stored(LARGE))).isEqualTo(ciphertext);
    assertThat(artifacts.etag(LARGE)).as("the same bytes in the same 8 MiB parts").isEqualTo(etag);
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void aLargeObjectThatDoesNotDecrypt_failsTheBackupNamingIt_whenItIsSampled() {
    artifacts.writeLarge(LARGE, 6L << 20, v1);
    byte[] stored = artifacts.stored(LARGE);
    stored[stored.length / 2] ^= 1;
    artifacts.put(LARGE, stored);
    useBench(bench(OBJECTS + 1));

    var failure = failureOf(this::backup);

    assertThat(failure.getType()).isEqualTo(RotationErrors.BACKUP_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .endsWith(
            "data set chart-objects: sample item "
                + LARGE
                + " does not decrypt (AUTHENTICATION_FAILED)");
  }

  @Test
  void aBackupInTheFirstFormat_writtenBeforeLargeObjectsWereBackedUp_stillRestores()
      throws Exception {
    Map<String, String> before = artifacts.plaintextDigests();
    List<StoredItem> items = new ArrayList<>();
    for (String key : artifacts.keys()) {
      items.add(new StoredItem(key, artifacts.stored(key)));
    }
    SealedArchives.writeFirstFormat(spoolLocation(), backupKeys, DATA_SET, "s3://charts/", items);
    artifacts.put("patient-01/chart-0001.pdf", artifacts.stored("patient-00/chart-0002.pdf"));

    RestoreResult result = restore();

    assertThat(BackupManifest.read(spoolLocation().manifest()).formatVersion()).isEqualTo(1);
    assertThat(result.restored()).isEqualTo(1);
    assertThat(result.stillUndecryptable()).isZero();
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void aBackupSealedBeforePerStreamKeys_withALargeObjectOfThatTime_stillRestoresItByteForByte()
      throws Exception {
    artifacts.writeLargeFirstVersion(LARGE, 6 << 20, v1);
    byte[] original = artifacts.stored(LARGE);
    Map<String, String> before = artifacts.plaintextDigests();
    useBench(bench(OBJECTS + 1));
    backup();
    new S3BackupCopies(client, new S3Location("backups", backups)).download(spoolLocation());
    SealedArchives.resealInFirstStreamingVersion(spoolLocation(), backupKeys);
    artifacts.put(LARGE, artifacts.stored("patient-00/chart-0002.pdf"));

    RestoreResult result = restore();

    assertThat(Files.readAllBytes(spoolLocation().file())[4])
        .as("archive envelope version")
        .isEqualTo((byte) 1);
    assertThat(original[4]).as("object envelope version").isEqualTo((byte) 1);
    assertThat(result.restored()).isEqualTo(1);
    assertThat(artifacts.stored(LARGE)).isEqualTo(original);
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void negativeControl_theFirstFormatReadAsTheSecond_failsTheRestore() throws Exception {
    SealedArchives.writeFirstFormat(
        spoolLocation(),
        backupKeys,
        DATA_SET,
        "s3://charts/",
        List.of(
            new StoredItem(
                "patient-00/chart-0000.pdf", artifacts.stored("patient-00/chart-0000.pdf"))));
    BackupManifest first = BackupManifest.read(spoolLocation().manifest());
    new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            first.backupId(),
            first.dataSet(),
            first.type(),
            first.table(),
            first.directory(),
            first.items(),
            first.bytes(),
            first.sha256(),
            first.backupKeyId(),
            first.createdAt())
        .write(spoolLocation().manifest());

    var failure = failureOf(this::restore);

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo("backup r1/chart-objects: entry 1 has type 0");
  }

  @Test
  void aLargeEntryThatDoesNotDecrypt_failsTheRestoreNamingTheObject_andLeavesTheObjectAsItIs()
      throws Exception {
    byte[] damaged = backUpLargeObjectAndDamageIt();
    byte[] plaintext = SealedArchives.plaintext(spoolLocation(), backupKeys);
    plaintext[contentStart(plaintext) + 4_096] ^= 1;
    SealedArchives.reseal(spoolLocation(), backupKeys, plaintext);

    var failure = failureOf(this::restore);

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "backup r1/chart-objects: object "
                + LARGE
                + " does not decrypt from it (AUTHENTICATION_FAILED); the object was left as it is");
    assertThat(artifacts.stored(LARGE)).isEqualTo(damaged);
  }

  @Test
  void aLargeEntryCutShort_failsTheRestoreNamingTheObject() throws Exception {
    backUpLargeObjectAndDamageIt();
    byte[] plaintext = SealedArchives.plaintext(spoolLocation(), backupKeys);
    SealedArchives.reseal(
        spoolLocation(), backupKeys, Arrays.copyOf(plaintext, contentStart(plaintext) + (2 << 20)));

    var failure = failureOf(this::restore);

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "backup r1/chart-objects: entry " + (OBJECTS + 1) + " (" + LARGE + ") is cut short");
  }

  /**
   * Backs up the bucket with a 6 MiB object, brings the backup back into the spool, and replaces
   * the object with one that does not decrypt there; returns its bytes.
   */
  private byte[] backUpLargeObjectAndDamageIt() throws Exception {
    artifacts.writeLarge(LARGE, 6L << 20, v1);
    backup();
    new S3BackupCopies(client, new S3Location("backups", backups)).download(spoolLocation());
    byte[] damaged = artifacts.stored("patient-00/chart-0002.pdf");
    artifacts.put(LARGE, damaged);
    return damaged;
  }

  /** Where the large object's content starts in the plaintext: after its path and chunk length. */
  private static int contentStart(byte[] plaintext) {
    byte[] path = LARGE.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + path.length <= plaintext.length; i++) {
      if (Arrays.equals(plaintext, i, i + path.length, path, 0, path.length)) {
        return i + path.length + 4;
      }
    }
    throw new AssertionError("no entry for " + LARGE);
  }

  private BackupLocation spoolLocation() {
    return BackupLocation.of(spool, BACKUP_ID);
  }

  private void useBench(BackupBench replacement) {
    bench.close();
    bench = replacement;
  }

  private static String sha256(byte[] bytes) {
    MessageDigest digest = Sha256.digest();
    digest.update(bytes);
    return Sha256.hex(digest);
  }

  private long size(String key) {
    return client
        .headObject(HeadObjectRequest.builder().bucket("backups").key(key).build())
        .contentLength();
  }

  private BackupRecord backup() {
    return bench.activities.backup(new BackupRequest(ROTATION, DATA_SET));
  }

  private RestoreResult restore() {
    return bench.activities.restoreUndecryptable(new RestoreRequest(ROTATION, DATA_SET, BACKUP_ID));
  }
}
