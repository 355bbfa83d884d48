package io.breakglass.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.FirstVersionStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every stream is encrypted under a key of its own, so a repeated nonce prefix no longer means a
 * repeated (key, nonce) pair. Reuse is made visible the way an attacker sees it: under one key and
 * nonce, GCM's keystream repeats, and the XOR of two ciphertexts is the XOR of their plaintexts.
 * The first version shows exactly that leak when its prefixes collide (the negative control);
 * version 2 shows it only when salt and prefix are both forced equal.
 */
class PerStreamKeyTest {

  private static final KeyId KEY_ID = new KeyId("breakglass-backup-key", "b1");
  private static final byte[] KEY =
      HexFormat.of().parseHex("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0");
  private static final byte[] AD =
      "breakglass-backup:r1/ai-snapshots".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PREFIX = HexFormat.of().parseHex("a1a2a3a4a5a6a7");
  private static final int HEADER = 4 + 1 + 1 + KEY_ID.toString().length() + 32 + 7;
  private static final int FIRST_VERSION_HEADER = HEADER - 32;

  private final FixedKeyring keyring = new FixedKeyring().with(KEY_ID, KEY);
  private final byte[] p1 = bytes(new Random(1), 4096);
  private final byte[] p2 = bytes(new Random(2), 4096);

  @Test
  void twoStreamsOfTheSamePlaintext_differInSaltAndInEveryCiphertextBlock() throws IOException {
    byte[] one = encrypt(p1);
    byte[] two = encrypt(p1);

    assertThat(salt(one)).isNotEqualTo(salt(two));
    assertThat(equalBytes(body(one, HEADER), body(two, HEADER)))
        .as("bytes equal by chance (1 in 256), not by a shared keystream")
        .isLessThan(p1.length / 64);
    assertThat(decrypt(one)).isEqualTo(p1);
    assertThat(decrypt(two)).isEqualTo(p1);
  }

  @Test
  void aForcedNoncePrefixCollision_withDifferentSalts_usesDistinctStreamKeys_andLeaksNothing()
      throws IOException {
    byte[] salt1 = bytes(new Random(3), 32);
    byte[] salt2 = bytes(new Random(4), 32);

    byte[] one = encrypt(p1, salt1, PREFIX);
    byte[] two = encrypt(p2, salt2, PREFIX);

    assertThat(streamKey(salt1, AD)).isNotEqualTo(streamKey(salt2, AD));
    assertThat(xor(ciphertext(one, HEADER), ciphertext(two, HEADER))).isNotEqualTo(xor(p1, p2));
    assertThat(decrypt(one)).isEqualTo(p1);
    assertThat(decrypt(two)).isEqualTo(p2);
  }

  @Test
  void
      negativeControl_theFirstVersionWithACollidingPrefix_reusesKeyAndNonce_andLeaksThePlaintextXor() {
    byte[] one = FirstVersionStreams.seal(KEY_ID, keyring.key(KEY_ID), PREFIX, AD, p1);
    byte[] two = FirstVersionStreams.seal(KEY_ID, keyring.key(KEY_ID), PREFIX, AD, p2);

    assertThat(xor(ciphertext(one, FIRST_VERSION_HEADER), ciphertext(two, FIRST_VERSION_HEADER)))
        .isEqualTo(xor(p1, p2));
  }

  @Test
  void
      control_version2WithSaltAndPrefixBothForcedEqual_wouldLeakTheSameWay_soTheSaltIsWhatSeparatesStreams()
          throws IOException {
    byte[] salt = bytes(new Random(5), 32);

    byte[] one = encrypt(p1, salt, PREFIX);
    byte[] two = encrypt(p2, salt, PREFIX);

    assertThat(streamKey(salt, AD)).isEqualTo(streamKey(salt.clone(), AD));
    assertThat(xor(ciphertext(one, HEADER), ciphertext(two, HEADER))).isEqualTo(xor(p1, p2));
  }

  @Test
  void theStreamKey_isNeitherTheDataKey_norSharedAcrossAssociatedDataOrKeyIds() {
    byte[] salt = bytes(new Random(6), 32);
    KeyId other = new KeyId("breakglass-backup-key", "b2");
    keyring.with(other, KEY);
    byte[] underOtherId =
        SegmentCipher.streamKey(
                StreamingEnvelope.header(other, salt, PREFIX), keyring.key(other), AD)
            .getEncoded();

    assertThat(streamKey(salt, AD)).isNotEqualTo(KEY).hasSize(32);
    assertThat(
            streamKey(salt, "breakglass-backup:r2/ai-snapshots".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(streamKey(salt, AD));
    assertThat(underOtherId).as("same material, another key id").isNotEqualTo(streamKey(salt, AD));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private byte[] streamKey(byte[] salt, byte[] associatedData) {
    return SegmentCipher.streamKey(
            StreamingEnvelope.header(KEY_ID, salt, PREFIX), keyring.key(KEY_ID), associatedData)
        .getEncoded();
  }

  private byte[] encrypt(byte[] plaintext) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (EncryptingOutputStream out = new EncryptingOutputStream(sink, KEY_ID, keyring, AD)) {
      out.write(plaintext);
    }
    return sink.toByteArray();
  }

  private byte[] encrypt(byte[] plaintext, byte[] salt, byte[] prefix) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (EncryptingOutputStream out =
        new EncryptingOutputStream(sink, KEY_ID, keyring, AD, salt, prefix)) {
      out.write(plaintext);
    }
    return sink.toByteArray();
  }

  private byte[] decrypt(byte[] sealed) throws IOException {
    try (InputStream in =
        new DecryptingInputStream(new ByteArrayInputStream(sealed), keyring, AD)) {
      return in.readAllBytes();
    }
  }

  private static byte[] salt(byte[] sealed) {
    return Arrays.copyOfRange(sealed, HEADER - 7 - 32, HEADER - 7);
  }

  /** Everything after the header: the one segment and its tag. */
  private static byte[] body(byte[] sealed, int header) {
    return Arrays.copyOfRange(sealed, header, sealed.length);
  }

  /** The one segment's ciphertext without its tag. */
  private static byte[] ciphertext(byte[] sealed, int header) {
    return Arrays.copyOfRange(sealed, header, sealed.length - Envelope.TAG_BYTES);
  }

  private static int equalBytes(byte[] a, byte[] b) {
    int equal = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      equal += a[i] == b[i] ? 1 : 0;
    }
    return equal;
  }

  private static byte[] xor(byte[] a, byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
