package io.breakglass.worker;

import jakarta.validation.Valid;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of the payload codec that encrypts everything Breakglass stores in Temporal (see {@code
 * PayloadEncryptionCodec}). The configuration names where each key is, never the key itself. The
 * first key encrypts; the others only decrypt, so that histories written under them stay readable.
 * Rotate by adding a new key at the top and removing an old one once no history needs it.
 *
 * <pre>{@code
 * temporal:
 *   codec:
 *     keys:
 *       - {id: codec-2026-11, env: BREAKGLASS_CODEC_KEY}
 *       - {id: codec-2026-05, file: /etc/breakglass/codec/codec-2026-05.key}
 *     requireEncoded: true
 * }</pre>
 *
 * @param keys the codec keys, the encrypting one first
 * @param requireEncoded read only payloads the codec encrypted: a start, signal or update typed
 *     without the codec is refused (see {@code EncodedOnlyCodec}), so only callers the codec server
 *     admits, or processes holding a codec key, can send input a workflow acts on. Switch it on
 *     once no workflow started without the codec is still running. Default false
 */
public record CodecConfig(@Valid List<Key> keys, boolean requireEncoded) {

  /**
   * One codec key: base64 of 32 random bytes ({@code openssl rand -base64 32}), in an environment
   * variable or in a file readable by its owner only.
   *
   * @param id the key id written into every payload it encrypts
   * @param env the NAME of the environment variable holding the key
   * @param file a file holding the key (mode 600 or 400)
   */
  public record Key(String id, String env, Path file) {

    public Key {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("temporal.codec.keys: every key needs an id");
      }
      env = env == null || env.isBlank() ? null : env.strip();
      if ((env == null) == (file == null)) {
        throw new IllegalArgumentException(
            "temporal.codec.keys[" + id + "]: set exactly one of env (a variable name) and file");
      }
    }
  }

  public CodecConfig {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("temporal.codec.keys: at least one key is needed");
    }
    keys = List.copyOf(keys);
    Set<String> ids = new HashSet<>();
    for (Key key : keys) {
      if (!ids.add(key.id())) {
        throw new IllegalArgumentException(
            "temporal.codec.keys: key id " + key.id() + " appears twice");
      }
    }
  }

  /** Plain payloads read as they are (histories from before the codec, clients without it). */
  public CodecConfig(List<Key> keys) {
    this(keys, false);
  }

  /** One key in {@code file}: what {@code dev} uses. */
  public static CodecConfig file(String id, Path file) {
    return new CodecConfig(List.of(new Key(id, null, file)));
  }
}
