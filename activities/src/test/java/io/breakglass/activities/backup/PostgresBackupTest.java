package io.breakglass.activities.backup;

import static io.breakglass.activities.backup.BackupBench.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.activities.verify.DataSetScanner;
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
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

class PostgresBackupTest {

  private static final int ROWS = 200;
  private static final int SAMPLE = 20;
  private static final String ROTATION = "r1";
  private static final String DATA_SET = "ai-snapshots";
  private static final String BACKUP_ID = ROTATION + "/" + DATA_SET;

  @TempDir Path backups;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("ai-payload-encryption-key", "v1");
  private final KeyId v2 = keyring.add("ai-payload-encryption-key", "v2");
  private final BackupKeys backupKeys = BackupBench.ownBackupKey();
  private TestPostgres.Database database;
  private SnapshotTable table;
  private BackupBench bench;

  @BeforeEach
  void seed() {
    database = TestPostgres.newDatabase();
    table = new SnapshotTable(database, keyring);
    table.seed(ROWS, v1);
    bench = bench(SAMPLE, backupKeys);
  }

  @AfterEach
  void close() {
    bench.close();
  }

  @Test
  void aBackup_isPublishedWithItsManifest_checksummed_andVerifiedByASampleRestore()
      throws Exception {
    BackupRecord record = backup();

    Path file = backups.resolve(ROTATION).resolve(DATA_SET + ".bgbak");
    JsonNode manifest =
        new ObjectMapper()
            .readTree(backups.resolve(ROTATION).resolve(DATA_SET + ".manifest.json").toFile());
    assertThat(record.backupId()).isEqualTo(BACKUP_ID);
    assertThat(record.location()).isEqualTo(file.toString());
    assertThat(record.items()).isEqualTo(ROWS);
    assertThat(record.sampleVerified()).isEqualTo(SAMPLE);
    assertThat(record.bytes()).isEqualTo(Files.size(file));
    assertThat(record.sha256()).isEqualTo(Sha256.of(file)).hasSize(64);
    assertThat(manifest.get("formatVersion").asInt()).isEqualTo(2);
    assertThat(manifest.get("backupId").asText()).isEqualTo(BACKUP_ID);
    assertThat(manifest.get("dataSet").asText()).isEqualTo(DATA_SET);
    assertThat(manifest.get("type").asText()).isEqualTo("POSTGRES_COLUMN");
    assertThat(manifest.at("/table/name").asText()).isEqualTo("ai_json_snapshots");
    assertThat(manifest.at("/table/columns").toString())
        .isEqualTo("[\"id\",\"payload\",\"updated_at\"]");
    assertThat(manifest.at("/table/idColumn").asText()).isEqualTo("id");
    assertThat(manifest.at("/table/envelopeColumn").asText()).isEqualTo("payload");
    assertThat(manifest.at("/table/envelopeType").asText()).isEqualTo("jsonb");
    assertThat(manifest.get("items").asLong()).isEqualTo(ROWS);
    assertThat(manifest.get("bytes").asLong()).isEqualTo(record.bytes());
    assertThat(manifest.get("sha256").asText()).isEqualTo(record.sha256());
    assertThat(manifest.get("backupKeyId").asText()).isEqualTo(backupKeys.current().toString());
    assertThat(Instant.parse(manifest.get("createdAt").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(folderContents())
        .containsExactlyInAnyOrder(DATA_SET + ".bgbak", DATA_SET + ".manifest.json");
    assertThat(scratchSchemas()).isZero();
    assertThat(bench.heartbeats)
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n).isBetween(1L, (long) ROWS));
  }

  @Test
  void aSampleAsLargeAsTheTable_verifiesEveryRow() {
    bench.close();
    bench = bench(ROWS + 50, backupKeys);

    assertThat(backup().sampleVerified()).isEqualTo(ROWS);
  }

  @Test
  void theBackupFile_holdsNoPlaintext_andNotEvenTheStoredCiphertext() throws Exception {
    backup();

    String file =
        latin1(Files.readAllBytes(backups.resolve(ROTATION).resolve(DATA_SET + ".bgbak")));
    assertThat(leaks(file)).isEmpty();
  }

  @Test
  void negativeControl_aPlainCopyOfTheTable_holdsTheCiphertextsTheSearchLooksFor()
      throws Exception {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    try (Connection connection = database.dataSource().getConnection()) {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut("COPY ai_json_snapshots TO STDOUT", copy);
    }
    String withPlaintext = latin1(copy.toByteArray()) + SnapshotTable.plaintext(1, 0);

    assertThat(leaks(withPlaintext)).hasSize(1 + 2 * ROWS);
  }

  @Test
  void aCorruptedRowInTheSample_failsTheBackupNamingTheRow_andPublishesNothing() {
    bench.close();
    bench = bench(ROWS, backupKeys);
    table.storeRaw(7, table.raw().get(8L));

    ApplicationFailure failure = failureOf(this::backup);

    assertThat(failure.getType()).isEqualTo(RotationErrors.BACKUP_FAILED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(BACKUP_ID)
        .contains("sample item 7 ")
        .contains("AUTHENTICATION_FAILED");
    assertThat(folderContents()).isEmpty();
    assertThat(scratchSchemas()).isZero();
  }

  @Test
  void negativeControl_theSameTableUncorrupted_backsUpInFull() {
    bench.close();
    bench = bench(ROWS, backupKeys);

    assertThat(backup().sampleVerified()).isEqualTo(ROWS);
  }

  @Test
  void aBackupKeyOfTheRotatedSecret_isRefused() {
    bench.close();
    bench = bench(SAMPLE, BackupKeys.of(v1, keyring));

    ApplicationFailure failure = failureOf(this::backup);

    assertThat(failure.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(folderContents()).isEmpty();
  }

  @Test
  void aTamperedBackupFile_failsTheRestoreOnItsChecksum_andWritesNothing() throws Exception {
    backup();
    flipAByteOfTheBackup();
    table.storeRaw(3, table.raw().get(4L));
    Map<Long, String> before = table.raw();

    ApplicationFailure failure = failureOf(this::restore);

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains(BACKUP_ID).contains("sha256");
    assertThat(table.raw()).isEqualTo(before);
  }

  @Test
  void aTamperedBackupWithAMatchingManifest_stillFailsTheRestore_becauseItDoesNotDecrypt()
      throws Exception {
    backup();
    Path file = flipAByteOfTheBackup();
    Path manifest = backups.resolve(ROTATION).resolve(DATA_SET + ".manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceAll("\"sha256\" : \"[0-9a-f]+\"", "\"sha256\" : \"" + Sha256.of(file) + "\""));

    ApplicationFailure failure = failureOf(this::restore);

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("AUTHENTICATION_FAILED");
  }

  @Test
  void aMissingBackupOrManifest_failsTheRestore() throws Exception {
    ApplicationFailure never = failureOf(this::restore);
    backup();
    Files.delete(backups.resolve(ROTATION).resolve(DATA_SET + ".bgbak"));
    ApplicationFailure noFile = failureOf(this::restore);
    Files.delete(backups.resolve(ROTATION).resolve(DATA_SET + ".manifest.json"));
    ApplicationFailure noManifest = failureOf(this::restore);

    assertThat(List.of(never, noFile, noManifest))
        .allSatisfy(f -> assertThat(f.getType()).isEqualTo(RotationErrors.RESTORE_FAILED.name()));
    assertThat(noFile.getOriginalMessage()).contains("is missing");
    assertThat(noManifest.getOriginalMessage()).contains("has no manifest");
  }

  @Test
  void theRestore_putsBackCorruptedRows_keepsApplicationWrites_neverResurrects_andIsIdempotent() {
    backup();
    table.storeRaw(3, table.raw().get(4L));
    table.storeRaw(5, table.raw().get(5L).replace("\"ciphertext\": \"", "\"ciphertext\": \"AAAA"));
    table.applicationWrite(10, 7, v1);
    table.applicationWrite(11, 8, v2);
    database.jdbi().useHandle(h -> h.execute("DELETE FROM ai_json_snapshots WHERE id IN (20, 21)"));
    table.seed(1, v1);
    long added = ROWS + 1;
    table.storeRaw(added, table.raw().get(1L));

    RestoreResult first = restore();

    assertThat(first.restored()).isEqualTo(2);
    assertThat(first.stillUndecryptable()).as("the row added after the backup").isEqualTo(1);
    assertThat(plaintextOf(3)).isEqualTo(SnapshotTable.plaintext(3, 0));
    assertThat(plaintextOf(5)).isEqualTo(SnapshotTable.plaintext(5, 0));
    assertThat(plaintextOf(10)).isEqualTo(SnapshotTable.plaintext(10, 7));
    assertThat(plaintextOf(11)).isEqualTo(SnapshotTable.plaintext(11, 8));
    assertThat(table.keyIds().get(11L)).isEqualTo(v2.toString());
    assertThat(table.raw()).doesNotContainKeys(20L, 21L).hasSize(ROWS - 2 + 1);

    Map<Long, String> afterFirst = table.raw();
    RestoreResult second = restore();

    assertThat(second.restored()).isZero();
    assertThat(second.stillUndecryptable()).isEqualTo(1);
    assertThat(table.raw()).isEqualTo(afterFirst);
  }

  @Test
  void negativeControl_corruptedRowsDoNotDecryptUntilRestored() {
    backup();
    table.storeRaw(3, table.raw().get(4L));

    long before = undecryptable();
    restore();

    assertThat(before).isEqualTo(1);
    assertThat(undecryptable()).isZero();
  }

  @Test
  void aRetriedBackup_replacesWhatAKilledAttemptLeft() throws Exception {
    Path folder = Files.createDirectories(backups.resolve(ROTATION));
    Files.write(folder.resolve("." + DATA_SET + ".bgbak.partial"), new byte[] {1, 2, 3});
    Files.writeString(folder.resolve("." + DATA_SET + ".manifest.json.partial"), "{\"half");

    BackupRecord record = backup();

    assertThat(folderContents())
        .containsExactlyInAnyOrder(DATA_SET + ".bgbak", DATA_SET + ".manifest.json");
    assertThat(record.sha256()).isEqualTo(Sha256.of(folder.resolve(DATA_SET + ".bgbak")));
    table.storeRaw(3, table.raw().get(4L));
    assertThat(restore().restored()).isEqualTo(1);
  }

  @Test
  void aSecondBackupUnderTheSameId_replacesTheFirst() {
    BackupRecord first = backup();
    table.applicationWrite(3, 9, v1);

    BackupRecord second = backup();

    assertThat(second.sha256()).isNotEqualTo(first.sha256());
    assertThat(folderContents())
        .containsExactlyInAnyOrder(DATA_SET + ".bgbak", DATA_SET + ".manifest.json");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private BackupBench bench(int sampleSize, BackupKeys keys) {
    return new BackupBench(
        backups,
        sampleSize,
        table.config(v1.secret(), 5_000, 50),
        Map.of("app", database.dataSource()),
        keyring,
        keys);
  }

  private BackupRecord backup() {
    return bench.activities.backup(new BackupRequest(ROTATION, DATA_SET));
  }

  private RestoreResult restore() {
    return bench.activities.restoreUndecryptable(new RestoreRequest(ROTATION, DATA_SET, BACKUP_ID));
  }

  private long undecryptable() {
    var dataSet = bench.dataSets.get(DATA_SET);
    return new DataSetScanner(DATA_SET, dataSet.store(), dataSet.codec(), keyring)
        .scan(0, n -> {})
        .undecryptable();
  }

  private String plaintextOf(long row) {
    byte[] stored = table.raw().get(row).getBytes(StandardCharsets.UTF_8);
    byte[] plain =
        new EnvelopeCipher()
            .decrypt(
                new JsonEnvelopeCodec().decode(stored),
                keyring,
                Long.toString(row).getBytes(StandardCharsets.UTF_8));
    return new String(plain, StandardCharsets.UTF_8);
  }

  private Path flipAByteOfTheBackup() throws IOException {
    Path file = backups.resolve(ROTATION).resolve(DATA_SET + ".bgbak");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    return file;
  }

  /**
   * The synthetic plaintext, and each row's stored ciphertext and nonce (base64), found in {@code
   * text}.
   */
  private List<String> leaks(String text) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> found = new ArrayList<>();
    if (text.contains("synthetic note")) {
      found.add("plaintext");
    }
    for (Map.Entry<Long, String> row : table.raw().entrySet()) {
      JsonNode envelope = json.readTree(row.getValue());
      if (text.contains(envelope.get("ciphertext").asText().substring(8, 48))) {
        found.add(row.getKey() + " ciphertext");
      }
      if (text.contains(envelope.get("nonce").asText())) {
        found.add(row.getKey() + " nonce");
      }
    }
    return found;
  }

  private List<String> folderContents() {
    Path folder = backups.resolve(ROTATION);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int scratchSchemas() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'breakglass_verify_%'")
                    .mapTo(Integer.class)
                    .one());
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
