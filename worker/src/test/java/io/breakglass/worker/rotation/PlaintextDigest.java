package io.breakglass.worker.rotation;

import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over every item's key and decrypted content, in key order; throws if one does not decrypt. */
final class PlaintextDigest {

  private PlaintextDigest() {}

  static String of(ProtectedDataSet dataSet, Keyring keyring) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      EnvelopeCipher cipher = new EnvelopeCipher();
      try (ItemSession session = dataSet.store().open(new ShardRange(0, null, null), null)) {
        List<StoredItem> page;
        while (!(page = session.next(500)).isEmpty()) {
          for (StoredItem item : page) {
            byte[] plain =
                cipher.decrypt(
                    dataSet.codec().decode(item.value()),
                    keyring,
                    dataSet.store().associatedData(item.key()));
            digest.update(item.key().getBytes(StandardCharsets.UTF_8));
            digest.update(plain);
          }
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
