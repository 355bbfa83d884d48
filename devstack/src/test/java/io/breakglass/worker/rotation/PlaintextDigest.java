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
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Every item of a data set, decrypted: a digest to compare before and after, or the texts. */
public final class PlaintextDigest {

  private PlaintextDigest() {}

  /**
   * SHA-256 over every item's key and decrypted content, in key order; throws if one does not
   * decrypt.
   */
  public static String of(ProtectedDataSet dataSet, Keyring keyring) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      forEach(
          dataSet,
          keyring,
          (key, plain) -> {
            digest.update(key.getBytes(StandardCharsets.UTF_8));
            digest.update(plain);
          });
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of each item's decrypted content, per item key; throws if one does not decrypt. */
  public static Map<String, String> ofEach(ProtectedDataSet dataSet, Keyring keyring) {
    Map<String, String> digests = new TreeMap<>();
    forEach(dataSet, keyring, (key, plain) -> digests.put(key, sha256(plain)));
    return digests;
  }

  /**
   * Decrypted content per item key, read as UTF-8 (for data sets of text); throws if one does not
   * decrypt.
   */
  public static Map<String, String> texts(ProtectedDataSet dataSet, Keyring keyring) {
    Map<String, String> texts = new TreeMap<>();
    forEach(
        dataSet,
        keyring,
        (key, plain) -> texts.put(key, new String(plain, StandardCharsets.UTF_8)));
    return texts;
  }

  private static String sha256(byte[] plain) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void forEach(
      ProtectedDataSet dataSet, Keyring keyring, BiConsumer<String, byte[]> each) {
    EnvelopeCipher cipher = new EnvelopeCipher();
    try (ItemSession session = dataSet.store().open(new ShardRange(0, null, null), null)) {
      List<StoredItem> page;
      while (!(page = session.next(500)).isEmpty()) {
        for (StoredItem item : page) {
          each.accept(
              item.key(),
              cipher.decrypt(
                  dataSet.codec().decode(item.value()),
                  keyring,
                  dataSet.store().associatedData(item.key())));
        }
      }
    }
  }
}
