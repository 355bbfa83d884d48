package io.breakglass.workflows.codec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys of the payload codec, by key id: one primary that encrypts every new payload,
 * and older keys that still decrypt what they encrypted. Key status is a matter of the keyring, not
 * of the key (as in Tink): rotating the codec key means adding a new primary and keeping the old
 * key until no history needs it. {@link #toString()} names ids, never material.
 */
public final class CodecKeyring {

  /** AES-256. */
  public static final int KEY_BYTES = 32;

  private final String primaryId;
  private final Map<String, SecretKey> keys;

  private CodecKeyring(String primaryId, Map<String, SecretKey> keys) {
    this.primaryId = primaryId;
    this.keys = keys;
  }

  /**
   * A keyring of {@code material} by key id, encrypting with {@code primaryId}. The material is
   * copied; the caller may wipe its arrays afterwards.
   *
   * @throws IllegalArgumentException naming the key id when an id is blank or not printable ASCII,
   *     a key is not {@value #KEY_BYTES} bytes, or {@code primaryId} is not among the keys
   */
  public static CodecKeyring of(String primaryId, Map<String, byte[]> material) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> key : material.entrySet()) {
      String id = key.getKey();
      if (id == null || !id.matches("[\\x21-\\x7e]+")) {
        throw new IllegalArgumentException(
            "codec key id '" + id + "' must be non-empty printable ASCII without spaces");
      }
      if (key.getValue().length != KEY_BYTES) {
        throw new IllegalArgumentException(
            "codec key "
                + id
                + " holds "
                + key.getValue().length
                + " bytes; a codec key is "
                + KEY_BYTES
                + " bytes");
      }
      byte[] copy = Arrays.copyOf(key.getValue(), KEY_BYTES);
      keys.put(id, new SecretKeySpec(copy, "AES"));
      Arrays.fill(copy, (byte) 0);
    }
    if (!keys.containsKey(primaryId)) {
      throw new IllegalArgumentException(
          "the primary codec key " + primaryId + " is not among the codec keys " + keys.keySet());
    }
    return new CodecKeyring(primaryId, Map.copyOf(keys));
  }

  /** The id of the key that encrypts new payloads. */
  public String primaryId() {
    return primaryId;
  }

  /** Every key id, the primary included. */
  public Set<String> ids() {
    return keys.keySet();
  }

  SecretKey primary() {
    return keys.get(primaryId);
  }

  /**
   * The key with {@code id}.
   *
   * @throws UnknownCodecKeyException naming {@code id} when the keyring does not hold it
   */
  SecretKey key(String id) {
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new UnknownCodecKeyException(id, keys.keySet());
    }
    return key;
  }

  @Override
  public String toString() {
    return "CodecKeyring(primary " + primaryId + ", keys " + keys.keySet() + ")";
  }
}
