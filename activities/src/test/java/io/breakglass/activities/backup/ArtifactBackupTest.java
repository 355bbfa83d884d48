package io.breakglass.activities.backup;

import static io.breakglass.activities.backup.BackupBench.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.testing.ArtifactFolder;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactBackupTest {

  private static final int FILES = 40;
  private static final int SAMPLE = 10;
  private static final String ROTATION = "r1";
  private static final String DATA_SET = "chart-artifacts";
  private static final String BACKUP_ID = ROTATION + "/" + DATA_SET;

  @TempDir Path root;
  @TempDir Path backups;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private final KeyId v2 = keyring.add("artifact-encryption-key", "v2");
  private final BackupKeys backupKeys = BackupBench.ownBackupKey();
  private ArtifactFolder folder;
  private BackupBench bench;

  @BeforeEach
  void seed() throws IOException {
    folder = new ArtifactFolder(root, keyring);
    folder.seed(FILES, v1);
    // Hidden files are temporary files, not items: the store does not see them and neither do
    // backups.
    Files.writeString(root.resolve(".upload-123.tmp"), "half an upload");
    Files.writeString(root.resolve("patient-00").resolve(".breakglass-x.tmp"), "half a rewrite");
    bench = bench(SAMPLE);
  }

  @AfterEach
  void close() {
    bench.close();
  }

  @Test
  void aBackup_holdsEveryVisibleFile_isChecksummed_andVerifiedInAScratchFolderThatIsRemoved()
      throws Exception {
    BackupRecord record = backup();

    Path file = backups.resolve(ROTATION).resolve(DATA_SET + ".bgbak");
    JsonNode manifest =
        new ObjectMapper()
            .readTree(backups.resolve(ROTATION).resolve(DATA_SET + ".manifest.json").toFile());
    assertThat(record.items()).isEqualTo(FILES);
    assertThat(record.sampleVerified()).isEqualTo(SAMPLE);
    assertThat(record.sha256()).isEqualTo(Sha256.of(file));
    assertThat(record.bytes()).isEqualTo(Files.size(file));
    assertThat(manifest.get("type").asText()).isEqualTo("ARTIFACT_DIRECTORY");
    assertThat(manifest.get("directory").asText()).isEqualTo(root.toString());
    assertThat(manifest.get("table").isNull()).isTrue();
    assertThat(manifest.get("items").asLong()).isEqualTo(FILES);
    assertThat(folderContents())
        .containsExactlyInAnyOrder(DATA_SET + ".bgbak", DATA_SET + ".manifest.json");
    assertThat(bench.heartbeats).isNotEmpty();
  }

  @Test
  void theBackupFile_holdsNoPlaintext_andNoneOfTheStoredEnvelopes() throws Exception {
    backup();

    byte[] file = Files.readAllBytes(backups.resolve(ROTATION).resolve(DATA_SET + ".bgbak"));
    assertThat(leaks(file)).isEmpty();
  }

  @Test
  void negativeControl_theArtifactsSideBySide_holdWhatTheSearchLooksFor() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    folder.files().values().forEach(all::writeBytes);
    all.writeBytes(ArtifactFolder.content(0, 0).getBytes(StandardCharsets.UTF_8));

    assertThat(leaks(all.toByteArray())).hasSize(1 + FILES);
  }

  @Test
  void aCorruptedArtifactInTheSample_failsTheBackupNamingItsPath_andPublishesNothing()
      throws IOException {
    bench.close();
    bench = bench(FILES);
    corrupt("patient-01/chart-0007.pdf");

    ApplicationFailure failure = failureOf(this::backup);

    assertThat(failure.getType()).isEqualTo(RotationErrors.BACKUP_FAILED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("sample item patient-01/chart-0007.pdf ");
    assertThat(folderContents()).isEmpty();
  }

  @Test
  void theRestore_putsBackCorruptedFiles_keepsApplicationWrites_neverResurrects_andIsIdempotent()
      throws IOException {
    backup();
    corrupt("patient-00/chart-0002.pdf");
    corrupt("patient-01/chart-0003.pdf");
    folder.write("patient-00/chart-0004.pdf", ArtifactFolder.content(4, 3), v2);
    Files.delete(root.resolve("patient-01/chart-0005.pdf"));
    folder.write("patient-00/chart-9999.pdf", ArtifactFolder.content(9999, 0), v1);
    corrupt("patient-00/chart-9999.pdf");

    RestoreResult first = restore();

    assertThat(first.restored()).isEqualTo(2);
    assertThat(first.stillUndecryptable()).as("the file added after the backup").isEqualTo(1);
    Files.delete(root.resolve("patient-00/chart-9999.pdf"));
    Map<String, String> plaintexts = folder.plaintexts();
    assertThat(plaintexts.get("patient-00/chart-0002.pdf")).isEqualTo(ArtifactFolder.content(2, 0));
    assertThat(plaintexts.get("patient-01/chart-0003.pdf")).isEqualTo(ArtifactFolder.content(3, 0));
    assertThat(plaintexts.get("patient-00/chart-0004.pdf")).isEqualTo(ArtifactFolder.content(4, 3));
    assertThat(plaintexts).doesNotContainKey("patient-01/chart-0005.pdf").hasSize(FILES - 1);

    Map<String, byte[]> afterFirst = folder.files();
    RestoreResult second = restore();

    assertThat(second.restored()).isZero();
    assertThat(second.stillUndecryptable()).isZero();
    assertThat(folder.files()).containsOnlyKeys(afterFirst.keySet());
    afterFirst.forEach(
        (path, bytes) -> assertThat(folder.files().get(path)).as(path).isEqualTo(bytes));
  }

  @Test
  void anAttemptKilledMidStream_leavesNoPartialFiles_andTheRetryPublishesTheBackup() {
    ProtectedDataSet dataSet = bench.dataSets.get(DATA_SET);
    BackupLocation location = BackupLocation.of(backups, BACKUP_ID);
    DataSetBackup attempt = new DataSetBackup(bench.config, backupKeys);

    assertThatThrownBy(
            () ->
                attempt.run(
                    dataSet,
                    location,
                    new ArtifactSnapshot(dataSet, keyring, location.folder()),
                    n -> {
                      if (n == FILES / 2) {
                        throw new IllegalStateException("worker killed");
                      }
                    }))
        .hasMessage("worker killed");
    assertThat(folderContents()).isEmpty();

    assertThat(backup().items()).isEqualTo(FILES);
    assertThat(folderContents())
        .containsExactlyInAnyOrder(DATA_SET + ".bgbak", DATA_SET + ".manifest.json");
  }

  @Test
  void aBackupUnderAnEarlierBackupKey_restoresAfterTheBackupKeyMovesOn_butNotOnceThatKeyIsGone()
      throws IOException {
    MapKeyring backupKeyring = new MapKeyring();
    KeyId b1 = backupKeyring.add("breakglass-backup-key", "b1");
    useBackupKeys(BackupKeys.of(b1, backupKeyring));
    backup();
    useBackupKeys(BackupKeys.of(backupKeyring.add("breakglass-backup-key", "b2"), backupKeyring));
    corrupt("patient-00/chart-0002.pdf");

    RestoreResult restored = restore();
    backupKeyring.remove(b1);
    corrupt("patient-00/chart-0002.pdf");
    ApplicationFailure failure = failureOf(this::restore);

    assertThat(restored.restored()).isEqualTo(1);
    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("UNKNOWN_KEY_ID", b1.toString());
  }

  @Test
  void aBackupKeyMissingFromItsKeyring_failsTheBackupNamingTheKey() {
    KeyId missing = new KeyId("breakglass-backup-key", "never-created");
    useBackupKeys(BackupKeys.of(missing, new MapKeyring()));

    ApplicationFailure failure = failureOf(this::backup);

    assertThat(failure.getType()).isEqualTo(RotationErrors.BACKUP_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("UNKNOWN_KEY_ID", missing.toString());
    assertThat(folderContents()).isEmpty();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private BackupBench bench(int sampleSize) {
    return new BackupBench(
        backups, sampleSize, folder.config(v1.secret(), 20, 8), Map.of(), keyring, backupKeys);
  }

  private void useBackupKeys(BackupKeys keys) {
    bench.close();
    bench =
        new BackupBench(
            backups, SAMPLE, folder.config(v1.secret(), 20, 8), Map.of(), keyring, keys);
  }

  private BackupRecord backup() {
    return bench.activities.backup(new BackupRequest(ROTATION, DATA_SET));
  }

  private RestoreResult restore() {
    return bench.activities.restoreUndecryptable(new RestoreRequest(ROTATION, DATA_SET, BACKUP_ID));
  }

  /** Flips a bit in the ciphertext of an artifact, as bit rot or a bad write would. */
  private void corrupt(String relative) throws IOException {
    Path file = root.resolve(relative);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 40] ^= 1;
    Files.write(file, bytes);
  }

  /**
   * The synthetic plaintext, and a slice of each artifact's stored ciphertext, found in {@code
   * bytes}.
   */
  private List<String> leaks(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<String> found = new ArrayList<>();
    if (text.contains("synthetic chart")) {
      found.add("plaintext");
    }
    folder
        .files()
        .forEach(
            (path, stored) -> {
              String slice =
                  new String(stored, stored.length - 100, 48, StandardCharsets.ISO_8859_1);
              if (text.contains(slice)) {
                found.add(path);
              }
            });
    return found;
  }

  private List<String> folderContents() {
    Path rotation = backups.resolve(ROTATION);
    if (!Files.isDirectory(rotation)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(rotation)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
