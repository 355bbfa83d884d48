package io.breakglass.worker.bench;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Reads a finished bench's data folder on its own (the secret store, PostgreSQL started again, the
 * artifact files) and decrypts every item, requiring each to be under the CURRENT version of its
 * secret. Throws on the first item that is not.
 */
final class LastVersionCheck {

  private final DevLayout layout;
  private final SecretStore store;
  private final EnvelopeCipher cipher = new EnvelopeCipher();

  LastVersionCheck(Path root) {
    layout = new DevLayout(root);
    store =
        new LocalSecretStore(
            layout.secretStore(),
            MasterKey.load(
                new LocalSecretStoreConfig(layout.secretStore(), "UNUSED", layout.masterKey()),
                name -> null));
  }

  /** Rows checked. */
  long rows() throws SQLException {
    KeyId last = current(DevSettings.PAYLOAD_KEY);
    StoreKeyring keyring = new StoreKeyring(store);
    long rows = 0;
    try (EmbeddedDatabase database = EmbeddedDatabase.start(layout.postgres());
        Connection connection =
            DriverManager.getConnection(database.jdbcUrl(DevSettings.APP_DATABASE));
        Statement query = connection.createStatement();
        ResultSet row =
            query.executeQuery("SELECT id, payload::text FROM ai_json_snapshots ORDER BY id")) {
      while (row.next()) {
        String id = Long.toString(row.getLong(1));
        require(
            new JsonEnvelopeCodec(),
            row.getString(2).getBytes(StandardCharsets.UTF_8),
            id,
            last,
            keyring);
        rows++;
      }
    }
    return rows;
  }

  /** Artifacts checked. */
  long files() throws IOException {
    KeyId last = current(DevSettings.ARTIFACT_KEY);
    StoreKeyring keyring = new StoreKeyring(store);
    List<String> keys = ChartFiles.list(layout.artifacts());
    for (String key : keys) {
      require(
          new BinaryEnvelopeCodec(),
          Files.readAllBytes(layout.artifacts().resolve(key)),
          key,
          last,
          keyring);
    }
    return keys.size();
  }

  private void require(
      EnvelopeCodec codec, byte[] stored, String boundTo, KeyId last, StoreKeyring keyring) {
    Envelope envelope = codec.decode(stored);
    if (!envelope.keyId().equals(last)) {
      throw new AssertionError(boundTo + " is under " + envelope.keyId() + ", not " + last);
    }
    cipher.decrypt(envelope, keyring, boundTo.getBytes(StandardCharsets.UTF_8));
  }

  private KeyId current(String secret) {
    return new KeyId(
        secret, store.describe(secret).labelled(Label.CURRENT).orElseThrow().versionId());
  }
}
