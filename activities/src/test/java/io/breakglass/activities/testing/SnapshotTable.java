package io.breakglass.activities.testing;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.workflows.messages.values.DataSetType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * An {@code ai_json_snapshots} table in a test database, seeded with synthetic JSON payloads
 * encrypted as the protected application would (envelope v1, bound to the row id).
 */
public final class SnapshotTable {

  private final TestPostgres.Database database;
  private final Keyring keyring;
  private final EnvelopeCodec codec = new JsonEnvelopeCodec();

  public SnapshotTable(TestPostgres.Database database, Keyring keyring) {
    this.database = database;
    this.keyring = keyring;
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "CREATE TABLE ai_json_snapshots (id bigserial PRIMARY KEY, payload jsonb,"
                        + " updated_at timestamptz NOT NULL DEFAULT now())"));
  }

  /** A data set configuration for this table. */
  public DataSetConfig config(String secret, int shardSize, int batchSize) {
    return new DataSetConfig(
        "ai-snapshots",
        secret,
        DataSetType.POSTGRES_COLUMN,
        "app",
        "ai_json_snapshots",
        "id",
        "payload",
        EnvelopeFormat.JSON,
        null,
        AssociatedDataMode.ROW_ID,
        shardSize,
        batchSize,
        2,
        0,
        null);
  }

  /** Inserts {@code rows} rows encrypted under {@code key}. */
  public void seed(int rows, KeyId key) {
    Jdbi jdbi = database.jdbi();
    jdbi.useHandle(
        h -> {
          h.execute(
              "INSERT INTO ai_json_snapshots (payload) SELECT NULL FROM generate_series(1, ?)",
              rows);
          List<Long> ids =
              h.createQuery("SELECT id FROM ai_json_snapshots WHERE payload IS NULL ORDER BY id")
                  .mapTo(Long.class)
                  .list();
          var batch =
              h.prepareBatch("UPDATE ai_json_snapshots SET payload = ?::jsonb WHERE id = ?");
          for (long id : ids) {
            batch.add(envelope(id, plaintext(id, 0), key), id);
          }
          batch.execute();
        });
  }

  /** Writes {@code row} as the application would: a fresh envelope of a new plaintext. */
  public void applicationWrite(long row, int generation, KeyId key) {
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE ai_json_snapshots SET payload = ?::jsonb, updated_at = now() WHERE id = ?",
                    envelope(row, plaintext(row, generation), key),
                    row));
  }

  /** Stores {@code payload} in {@code row} as is (to plant a corrupt or moved envelope). */
  public void storeRaw(long row, String payload) {
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE ai_json_snapshots SET payload = ?::jsonb WHERE id = ?", payload, row));
  }

  /** The JSON envelope of {@code plaintext} for row {@code id}. */
  public String envelope(long id, String plaintext, KeyId key) {
    byte[] ad = Long.toString(id).getBytes(StandardCharsets.UTF_8);
    return new String(
        codec.encode(
            new EnvelopeCipher()
                .encrypt(key, keyring.key(key), plaintext.getBytes(StandardCharsets.UTF_8), ad)),
        StandardCharsets.UTF_8);
  }

  /** The synthetic payload of row {@code id} at {@code generation} (no real PHI). */
  public static String plaintext(long id, int generation) {
    return "{\"snapshot\":"
        + id
        + ",\"generation\":"
        + generation
        + ",\"summary\":\"synthetic note "
        + "x".repeat(64)
        + "\"}";
  }

  /** Key id per row, read from the stored envelopes. */
  public Map<Long, String> keyIds() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, payload->>'kid' AS kid FROM ai_json_snapshots ORDER BY id")
                    .reduceRows(
                        new TreeMap<Long, String>(),
                        (map, row) -> {
                          map.put(
                              row.getColumn("id", Long.class), row.getColumn("kid", String.class));
                          return map;
                        }));
  }

  /** Decrypted plaintext per row: throws if any row does not decrypt. */
  public Map<Long, String> plaintexts() {
    EnvelopeCipher cipher = new EnvelopeCipher();
    Map<Long, String> plaintexts = new TreeMap<>();
    database
        .jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT id, payload::text AS payload FROM ai_json_snapshots ORDER BY id")
                    .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("payload")))
                    .forEach(
                        row -> {
                          byte[] ad = Long.toString(row.getKey()).getBytes(StandardCharsets.UTF_8);
                          byte[] plain =
                              cipher.decrypt(
                                  codec.decode(row.getValue().getBytes(StandardCharsets.UTF_8)),
                                  keyring,
                                  ad);
                          plaintexts.put(row.getKey(), new String(plain, StandardCharsets.UTF_8));
                        }));
    return plaintexts;
  }

  /** Raw stored payloads per row. */
  public Map<Long, String> raw() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, payload::text AS payload FROM ai_json_snapshots ORDER BY id")
                    .reduceRows(
                        new TreeMap<Long, String>(),
                        (map, row) -> {
                          map.put(
                              row.getColumn("id", Long.class),
                              row.getColumn("payload", String.class));
                          return map;
                        }));
  }

  /** SHA-256 over every (id, plaintext), in id order. */
  public String plaintextDigest() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      plaintexts()
          .forEach(
              (id, plain) ->
                  digest.update((id + "=" + plain + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
