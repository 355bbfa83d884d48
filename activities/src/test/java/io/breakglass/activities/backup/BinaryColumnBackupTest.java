package io.breakglass.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import io.breakglass.workflows.messages.values.DataSetType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bytea envelope column beside a text column full of COPY escapes and nulls. */
class BinaryColumnBackupTest {

  private static final int ROWS = 30;

  @TempDir Path backups;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private final TestPostgres.Database database = TestPostgres.newDatabase();

  @Test
  void binaryEnvelopesNullsAndEscapedText_surviveTheBackupAndTheRestoreByteForByte() {
    List<byte[]> stored = seed();
    DataSetConfig config =
        new DataSetConfig(
            "blobs",
            v1.secret(),
            DataSetType.POSTGRES_COLUMN,
            "app",
            "public.blobs",
            "id",
            "envelope",
            EnvelopeFormat.BINARY,
            null,
            AssociatedDataMode.ROW_ID,
            0,
            7,
            0,
            0,
            null);
    try (BackupBench bench =
        new BackupBench(
            backups,
            100,
            config,
            Map.of("app", database.dataSource()),
            keyring,
            BackupBench.ownBackupKey())) {

      BackupRecord record = bench.activities.backup(new BackupRequest("r2", "blobs"));
      database
          .jdbi()
          .useHandle(
              h -> h.execute("UPDATE blobs SET envelope = '\\x0102'::bytea WHERE id IN (4, 9)"));
      RestoreResult result =
          bench.activities.restoreUndecryptable(
              new RestoreRequest("r2", "blobs", record.backupId()));

      assertThat(record.items()).isEqualTo(ROWS);
      assertThat(record.sampleVerified())
          .as("the row with a null envelope is not an item")
          .isEqualTo(ROWS - 1);
      assertThat(result.restored()).isEqualTo(2);
      assertThat(result.stillUndecryptable()).isZero();
      assertThat(envelopes()).containsExactlyElementsOf(stored);
      assertThat(notes())
          .allSatisfy(n -> assertThat(n).isIn(null, "tab\there\nnewline \\ back\\N"));
    }
  }

  private List<byte[]> seed() {
    BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();
    EnvelopeCipher cipher = new EnvelopeCipher();
    List<byte[]> stored = new ArrayList<>();
    database
        .jdbi()
        .useHandle(
            h -> {
              h.execute("CREATE TABLE blobs (id bigint PRIMARY KEY, note text, envelope bytea)");
              for (long id = 1; id <= ROWS; id++) {
                byte[] envelope =
                    codec.encode(
                        cipher.encrypt(
                            v1,
                            keyring.key(v1),
                            ("blob " + id).getBytes(StandardCharsets.UTF_8),
                            Long.toString(id).getBytes(StandardCharsets.UTF_8)));
                byte[] value = id == ROWS ? null : envelope;
                if (value != null) {
                  stored.add(value);
                }
                h.createUpdate("INSERT INTO blobs VALUES (:id, :note, :envelope)")
                    .bind("id", id)
                    .bind("note", id % 3 == 0 ? null : "tab\there\nnewline \\ back\\N")
                    .bind("envelope", value)
                    .execute();
              }
            });
    return stored;
  }

  private List<byte[]> envelopes() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT envelope FROM blobs WHERE envelope IS NOT NULL ORDER BY id")
                    .mapTo(byte[].class)
                    .list());
  }

  private List<String> notes() {
    return database
        .jdbi()
        .withHandle(h -> h.createQuery("SELECT note FROM blobs").mapTo(String.class).list());
  }
}
