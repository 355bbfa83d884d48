package io.breakglass.activities.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.activities.crypto.EnvelopeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Seeded randomness, a keyring with two data keys, a canary plaintext, and the check every refusal
 * must pass: a typed {@link EnvelopeException} with an expected reason and no secret in its
 * message. Every assertion message starts with the seed; rerun with {@code
 * -Dbreakglass.envelope.seed=<seed>} to replay a failure.
 */
final class EnvelopeFixture {

  static final long SEED = Long.getLong("breakglass.envelope.seed", 20_250_917L);

  static final KeyId KEY_ID = new KeyId("orders-db", "v7");

  /** One bit away from {@link #KEY_ID} ('7' ^ 1 is '6'), so a flipped id can name a known key. */
  static final KeyId NEIGHBOUR_ID = new KeyId("orders-db", "v6");

  /** Recognisable plaintext: no exception message may ever contain it. */
  static final String CANARY = "CANARY-plaintext-card-4111111111111111";

  final long seed;
  final Random random;
  final byte[] key;
  final FixedKeyring keyring;
  final EnvelopeCipher cipher = new EnvelopeCipher();
  private final List<byte[]> secrets = new ArrayList<>();

  EnvelopeFixture() {
    this(SEED);
  }

  EnvelopeFixture(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.key = newKey();
    this.keyring = new FixedKeyring().with(KEY_ID, key).with(NEIGHBOUR_ID, newKey());
    secrets.add(CANARY.getBytes(UTF_8));
  }

  /** 32 random bytes, remembered as a secret that no message may contain. */
  byte[] newKey() {
    return secret(bytes(32));
  }

  byte[] secret(byte[] material) {
    secrets.add(material);
    return material;
  }

  byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** The canary followed by random bytes; below the canary's length, a prefix of it. */
  byte[] plaintext(int size) {
    byte[] plaintext = bytes(size);
    byte[] canary = CANARY.getBytes(UTF_8);
    System.arraycopy(canary, 0, plaintext, 0, Math.min(size, canary.length));
    return plaintext;
  }

  /** Null, empty or up to 64 random bytes of associated data. */
  byte[] associatedData() {
    return switch (random.nextInt(3)) {
      case 0 -> null;
      case 1 -> new byte[0];
      default -> bytes(1 + random.nextInt(64));
    };
  }

  Envelope seal(byte[] plaintext, byte[] associatedData) {
    return cipher.encrypt(KEY_ID, AesKeys.aes256(key, KEY_ID), plaintext, associatedData);
  }

  byte[] open(EnvelopeForm form, byte[] stored, byte[] associatedData) {
    return open(form, stored, keyring, associatedData);
  }

  byte[] open(EnvelopeForm form, byte[] stored, Keyring keyring, byte[] associatedData) {
    return cipher.decrypt(form.codec().decode(stored), keyring, associatedData);
  }

  /** A description for assertion messages that names the seed. */
  String where(String format, Object... args) {
    return "seed " + seed + ", " + String.format(format, args);
  }

  /**
   * Asserts that {@code attempt} throws an {@link EnvelopeException} with one of {@code expected}
   * reasons and no secret in its message: not a success, not another exception type.
   */
  EnvelopeException refuses(String where, ThrowingCallable attempt, Reason... expected) {
    Throwable thrown = catchThrowable(attempt);
    assertThat(thrown).as("%s: expected a refusal, but it succeeded", where).isNotNull();
    assertThat(thrown)
        .as("%s: expected an EnvelopeException", where)
        .isInstanceOf(EnvelopeException.class);
    EnvelopeException refusal = (EnvelopeException) thrown;
    assertThat(refusal.reason())
        .as("%s: %s", where, refusal.getMessage())
        .isIn((Object[]) expected);
    assertNoSecretsIn(refusal, where);
    return refusal;
  }

  /** No key, and not the canary, in hex or base64, anywhere in the messages of {@code thrown}. */
  void assertNoSecretsIn(Throwable thrown, String where) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      String text = t.toString();
      for (byte[] secret : secrets) {
        for (String needle : encodings(secret)) {
          assertThat(text)
              .as("%s: the message of %s leaks a secret", where, t.getClass().getSimpleName())
              .doesNotContainIgnoringCase(needle);
        }
      }
    }
  }

  private static List<String> encodings(byte[] secret) {
    String hex = HexFormat.of().formatHex(secret);
    // Whole base64 groups only, so the needle is also a prefix of a longer plaintext's base64.
    byte[] aligned = Arrays.copyOf(secret, secret.length / 3 * 3);
    return Stream.of(
            new String(secret, UTF_8),
            hex,
            hex.substring(0, hex.length() / 2),
            Base64.getEncoder().encodeToString(aligned),
            Base64.getUrlEncoder().encodeToString(aligned))
        .filter(needle -> needle.length() >= 8) // shorter ones match by chance
        .toList();
  }
}
