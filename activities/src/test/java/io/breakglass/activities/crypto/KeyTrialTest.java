package io.breakglass.activities.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * An envelope that names no key is decrypted by the first of its secret's keys that authenticates
 * it.
 */
class KeyTrialTest {

  private static final String SECRET = "notes-key";
  private static final byte[] AAD = "row 9".getBytes(UTF_8);

  private final KeyId k1 = new KeyId(SECRET, "k1");
  private final KeyId k2 = new KeyId(SECRET, "k2");
  private final KeyId k3 = new KeyId(SECRET, "k3");
  private final byte[] m1 = random();
  private final byte[] m2 = random();
  private final byte[] m3 = random();
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final byte[] plaintext = "take with food".getBytes(UTF_8);

  @Test
  void theKeyThatAuthenticates_isFoundWhereverItIsInTheOrder_andNamed() {
    Envelope unnamed = unnamedUnder(k1, m1);
    FixedKeyring keyring = new FixedKeyring().with(k2, m2).with(k3, m3).with(k1, m1);

    EnvelopeCipher.Opened opened = cipher.open(unnamed, keyring, AAD);

    assertThat(opened.keyId()).isEqualTo(k1);
    assertThat(opened.plaintext()).isEqualTo(plaintext);
    assertThat(cipher.decrypt(unnamed, keyring, AAD)).isEqualTo(plaintext);
  }

  @Test
  void whenNoKeyAuthenticatesIt_itIsRefused_neverDecryptedToSomethingElse() {
    Envelope unnamed = unnamedUnder(k1, m1);
    FixedKeyring others = new FixedKeyring().with(k2, m2).with(k3, m3);

    assertThatThrownBy(() -> cipher.open(unnamed, others, AAD))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.AUTHENTICATION_FAILED))
        .hasMessageContaining("none of the 2 usable key(s) of notes-key");
    FixedKeyring right = new FixedKeyring().with(k1, m1);
    assertThatThrownBy(() -> cipher.open(unnamed, right, "row 10".getBytes(UTF_8)))
        .as("the right key with another item's binding")
        .isInstanceOf(EnvelopeException.class);
  }

  @Test
  void anEnvelopeThatNamesItsKey_isNotTriedWithOthers() {
    Envelope named = cipher.encrypt(k1, new SecretKeySpec(m1, "AES"), plaintext, AAD);
    Envelope mislabelled = new Envelope(k2, named.nonce(), named.ciphertext());
    FixedKeyring keyring = new FixedKeyring().with(k2, m2).with(k1, m1);

    assertThat(cipher.open(named, keyring, AAD).keyId()).isEqualTo(k1);
    assertThatThrownBy(() -> cipher.open(mislabelled, keyring, AAD))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.AUTHENTICATION_FAILED));
  }

  @Test
  void aKeyringThatCannotListKeys_saysSo() {
    Envelope unnamed = unnamedUnder(k1, m1);
    Keyring byIdOnly = keyId -> new SecretKeySpec(m1, "AES");

    assertThatThrownBy(() -> cipher.open(unnamed, byIdOnly, AAD))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.UNKNOWN_KEY_ID))
        .hasMessageContaining("cannot list the keys of notes-key");
  }

  private Envelope unnamedUnder(KeyId keyId, byte[] material) {
    Envelope named = cipher.encrypt(keyId, new SecretKeySpec(material, "AES"), plaintext, AAD);
    return Envelope.unnamed(SECRET, named.nonce(), named.ciphertext());
  }

  private static byte[] random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
