package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.StreamingEnvelope.SEGMENT_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.EnvelopeException.Reason;
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
 * Streams of the first version (written before per-stream keys) still decrypt, with the same
 * protections: a committed fixture written by the first-version {@link EncryptingOutputStream}, and
 * larger streams from the test-only {@link FirstVersionStreams} writer, which reproduces the
 * fixture byte for byte.
 */
class FirstVersionStreamTest {

  private static final int TAG = Envelope.TAG_BYTES;
  private static final KeyId FIXTURE_KEY_ID = new KeyId("breakglass-backup-key", "fixture-v1");
  private static final byte[] FIXTURE_KEY =
      HexFormat.of().parseHex("5f1d3a9c07b24e68a1c0f3d29e847b6150ac3e9d2f71b8046c59e1a3d7f0b295");
  private static final byte[] FIXTURE_AD =
      "breakglass-backup:fixture/ai-snapshots".getBytes(StandardCharsets.UTF_8);

  private final FixedKeyring keyring = new FixedKeyring().with(FIXTURE_KEY_ID, FIXTURE_KEY);
  private final int header = 4 + 1 + 1 + FIXTURE_KEY_ID.toString().length() + 7;

  @Test
  void theCommittedFirstVersionFixture_decryptsToItsPlaintext() throws IOException {
    byte[] fixture = resource("streaming-v1.bin");

    assertThat(fixture[4]).isEqualTo((byte) StreamingEnvelope.FIRST_VERSION);
    assertThat(decrypt(fixture, FIXTURE_AD)).isEqualTo(resource("streaming-v1.txt"));
  }

  @Test
  void theTestWriter_reproducesTheFixtureByteForByte() throws IOException {
    byte[] fixture = resource("streaming-v1.bin");
    byte[] prefix = Arrays.copyOfRange(fixture, header - 7, header);

    byte[] rewritten =
        FirstVersionStreams.seal(
            FIXTURE_KEY_ID,
            keyring.key(FIXTURE_KEY_ID),
            prefix,
            FIXTURE_AD,
            resource("streaming-v1.txt"));

    assertThat(rewritten).isEqualTo(fixture);
  }

  @Test
  void firstVersionStreamsOfSeveralSegments_decrypt() throws IOException {
    Random random = new Random(31);
    for (int size : new int[] {0, 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 2 * SEGMENT_BYTES + 77}) {
      byte[] plaintext = bytes(random, size);

      assertThat(decrypt(seal(plaintext, bytes(random, 7)), FIXTURE_AD))
          .as("size %d", size)
          .isEqualTo(plaintext);
    }
  }

  @Test
  void aFirstVersionStream_keepsItsProtections() throws IOException {
    byte[] sealed = seal(bytes(new Random(32), 2 * SEGMENT_BYTES + 10), bytes(new Random(33), 7));
    int full = SEGMENT_BYTES + TAG;
    byte[] first = Arrays.copyOfRange(sealed, header, header + full);
    byte[] second = Arrays.copyOfRange(sealed, header + full, header + 2 * full);
    byte[] last = Arrays.copyOfRange(sealed, header + 2 * full, sealed.length);
    byte[] head = Arrays.copyOf(sealed, header);
    byte[] prefix = sealed.clone();
    prefix[header - 1] ^= 1;
    FixedKeyring impostor = new FixedKeyring().with(FIXTURE_KEY_ID, new byte[32]);

    assertThat(reasonOf(join(head, first, second), keyring, FIXTURE_AD))
        .isEqualTo(Reason.TRUNCATED);
    assertThat(reasonOf(join(head, second, first, last), keyring, FIXTURE_AD))
        .isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(prefix, keyring, FIXTURE_AD)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(sealed, impostor, FIXTURE_AD)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(sealed, keyring, new byte[0])).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(sealed, keyring, FIXTURE_AD)).as("control: untouched").isNull();
  }

  @Test
  void newStreams_areNeverWrittenInTheFirstVersion() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (EncryptingOutputStream out =
        new EncryptingOutputStream(sink, FIXTURE_KEY_ID, keyring, FIXTURE_AD)) {
      out.write(resource("streaming-v1.txt"));
    }

    assertThat(sink.toByteArray()[4])
        .isEqualTo((byte) StreamingEnvelope.VERSION)
        .isNotEqualTo((byte) 1);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private byte[] seal(byte[] plaintext, byte[] prefix) {
    return FirstVersionStreams.seal(
        FIXTURE_KEY_ID, keyring.key(FIXTURE_KEY_ID), prefix, FIXTURE_AD, plaintext);
  }

  private byte[] decrypt(byte[] sealed, byte[] associatedData) throws IOException {
    try (InputStream in =
        new DecryptingInputStream(new ByteArrayInputStream(sealed), keyring, associatedData)) {
      return in.readAllBytes();
    }
  }

  private static Reason reasonOf(byte[] sealed, Keyring keys, byte[] associatedData)
      throws IOException {
    try (InputStream in =
        new DecryptingInputStream(new ByteArrayInputStream(sealed), keys, associatedData)) {
      in.readAllBytes();
      return null;
    } catch (EnvelopeException e) {
      return e.reason();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = FirstVersionStreamTest.class.getResourceAsStream("/envelopes/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static byte[] join(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
