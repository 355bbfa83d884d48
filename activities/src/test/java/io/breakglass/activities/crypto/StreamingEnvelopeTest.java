package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.StreamingEnvelope.SEGMENT_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.crypto.EnvelopeException.Reason;
import io.breakglass.activities.testing.MapKeyring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingEnvelopeTest {

  private static final int TAG = Envelope.TAG_BYTES;
  private static final byte[] AD =
      "breakglass-backup:r1/ai-snapshots".getBytes(StandardCharsets.UTF_8);

  private final MapKeyring keyring = new MapKeyring();
  private final KeyId key = keyring.add("breakglass-backup-key", "b1");
  private final int header = 4 + 1 + 1 + key.toString().length() + 32 + 7;

  @Test
  void roundTrips_atEverySizeAroundTheSegmentBoundaries_whateverTheWriteAndReadChunks()
      throws IOException {
    Random random = new Random(42);
    int[] sizes = {
      0,
      1,
      TAG - 1,
      TAG,
      TAG + 1,
      SEGMENT_BYTES - 1,
      SEGMENT_BYTES,
      SEGMENT_BYTES + 1,
      2 * SEGMENT_BYTES - 1,
      2 * SEGMENT_BYTES,
      2 * SEGMENT_BYTES + 1,
      3 * SEGMENT_BYTES + 12_345
    };
    for (int size : sizes) {
      byte[] plaintext = bytes(random, size);

      byte[] sealed = encryptInChunks(plaintext, random);

      int segments = size == 0 ? 1 : (size + SEGMENT_BYTES - 1) / SEGMENT_BYTES;
      assertThat(sealed[4])
          .as("format version written")
          .isEqualTo((byte) StreamingEnvelope.VERSION);
      assertThat(sealed).as("size %d", size).hasSize(header + size + segments * TAG);
      assertThat(decryptInChunks(sealed, random)).as("size %d", size).isEqualTo(plaintext);
    }
  }

  @Test
  void byteAtATimeReads_returnEveryByteThenEndOfStream() throws IOException {
    byte[] plaintext = "synthetic".getBytes(StandardCharsets.UTF_8);
    try (InputStream in = decrypting(encrypt(plaintext))) {
      for (byte expected : plaintext) {
        assertThat(in.read()).isEqualTo(expected & 0xff);
      }
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void theSamePlaintextTwice_givesDifferentCiphertexts() throws IOException {
    byte[] plaintext = bytes(new Random(1), 1000);

    assertThat(encrypt(plaintext)).isNotEqualTo(encrypt(plaintext));
  }

  @Test
  void theHeaderNamesTheKey_andDecryptionResolvesItThroughTheKeyring() throws IOException {
    try (DecryptingInputStream in = decrypting(encrypt(new byte[10]))) {
      assertThat(in.keyId()).isEqualTo(key);
    }
  }

  @Test
  void aStreamCutAtASegmentBoundary_isTruncatedNotAShortRead() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(2), 2 * SEGMENT_BYTES + 100));

    byte[] withoutFinal = Arrays.copyOf(sealed, header + 2 * (SEGMENT_BYTES + TAG));
    byte[] oneSegment = Arrays.copyOf(sealed, header + SEGMENT_BYTES + TAG);

    assertThat(reasonOf(withoutFinal)).isEqualTo(Reason.TRUNCATED);
    assertThat(reasonOf(oneSegment)).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void aStreamCutAnywhere_neverReadsShort() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(3), SEGMENT_BYTES + 500));
    int[] cuts = {
      0,
      3,
      4,
      5,
      6,
      header - 1,
      header,
      header + 1,
      header + TAG - 1,
      header + TAG,
      header + SEGMENT_BYTES,
      header + SEGMENT_BYTES + TAG - 1,
      header + SEGMENT_BYTES + TAG,
      header + SEGMENT_BYTES + TAG + TAG - 1,
      header + SEGMENT_BYTES + TAG + TAG,
      sealed.length - 1
    };
    for (int cut : cuts) {
      byte[] cutOff = Arrays.copyOf(sealed, cut);
      assertThat(reasonOf(cutOff))
          .as("cut at %d", cut)
          .isIn(Reason.TRUNCATED, Reason.AUTHENTICATION_FAILED);
    }
    for (int cut = 0; cut < header; cut++) {
      assertThat(reasonOf(Arrays.copyOf(sealed, cut)))
          .as("header cut at %d", cut)
          .isEqualTo(Reason.TRUNCATED);
    }
  }

  @Test
  void reorderedDroppedOrRepeatedSegments_doNotVerify() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(4), 3 * SEGMENT_BYTES + 10));
    byte[][] segments = split(sealed);

    byte[] swapped = join(segments[0], segments[2], segments[1], segments[3], segments[4]);
    byte[] droppedMiddle = join(segments[0], segments[1], segments[3], segments[4]);
    byte[] repeated =
        join(segments[0], segments[1], segments[1], segments[2], segments[3], segments[4]);
    byte[] finalFirst = join(segments[0], segments[4]);

    assertThat(reasonOf(swapped)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(droppedMiddle)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(repeated)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(finalFirst)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(join(segments))).as("control: the same parts in order").isNull();
  }

  @Test
  void aSegmentFromAnotherStreamUnderTheSameKey_doesNotVerify() throws IOException {
    byte[][] ours = split(encrypt(bytes(new Random(5), SEGMENT_BYTES + 10)));
    byte[][] theirs = split(encrypt(bytes(new Random(5), SEGMENT_BYTES + 10)));

    assertThat(reasonOf(join(ours[0], ours[1], theirs[2]))).isEqualTo(Reason.AUTHENTICATION_FAILED);
  }

  @Test
  void aFlippedBitAnywhere_isATypedError() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(6), SEGMENT_BYTES + 300));
    int[] positions = {
      0,
      4,
      5,
      6,
      6 + 3,
      header - 7,
      header - 1,
      header,
      header + 1000,
      header + SEGMENT_BYTES + 3,
      header + SEGMENT_BYTES + TAG + 5,
      sealed.length - 1
    };
    for (int position : positions) {
      byte[] flipped = sealed.clone();
      flipped[position] ^= 0x10;
      assertThat(reasonOf(flipped)).as("bit flipped at %d", position).isNotNull();
    }
    assertThat(reasonOf(sealed)).as("control: unflipped").isNull();
  }

  @Test
  void theHeaderFieldsFailWithTheirOwnReasons() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(7), 100));
    byte[] magic = sealed.clone();
    magic[0] = 'X';
    byte[] version = sealed.clone();
    version[4] = 3;
    byte[] downgraded = sealed.clone();
    downgraded[4] = StreamingEnvelope.FIRST_VERSION;
    byte[] kid = sealed.clone();
    kid[6] = 'X';
    byte[] salt = sealed.clone();
    salt[header - 7 - 32] ^= 1;
    byte[] prefix = sealed.clone();
    prefix[header - 1] ^= 1;

    assertThat(reasonOf(magic)).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(version)).isEqualTo(Reason.UNSUPPORTED);
    assertThat(reasonOf(downgraded))
        .as("read as the first version")
        .isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(kid)).isEqualTo(Reason.UNKNOWN_KEY_ID);
    assertThat(reasonOf(salt)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(prefix)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(sealed)).as("control: untouched").isNull();
  }

  @Test
  void bytesAppendedAfterTheFinalSegment_doNotVerify() throws IOException {
    byte[] shortFinal = encrypt(bytes(new Random(8), 100));
    byte[] fullFinal = encrypt(bytes(new Random(8), SEGMENT_BYTES));

    assertThat(reasonOf(join(shortFinal, new byte[] {0}))).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(reasonOf(join(fullFinal, new byte[TAG]))).isEqualTo(Reason.AUTHENTICATION_FAILED);
  }

  @Test
  void anotherKeyUnderTheSameIdOrOtherAssociatedData_doesNotVerify() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(9), 100));
    MapKeyring impostor = new MapKeyring();
    impostor.add(key.secret(), key.versionId());

    assertThatThrownBy(
            () ->
                new DecryptingInputStream(new ByteArrayInputStream(sealed), impostor, AD)
                    .readAllBytes())
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
    assertThatThrownBy(
            () ->
                new DecryptingInputStream(new ByteArrayInputStream(sealed), keyring, new byte[0])
                    .readAllBytes())
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
  }

  @Test
  void anUnknownKeyId_isRefusedBeforeAnySegmentIsRead() throws IOException {
    byte[] sealed = encrypt(bytes(new Random(10), 100));
    keyring.remove(key);

    assertThatThrownBy(() -> decrypting(sealed))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY_ID);
              assertThat(e.getMessage()).contains(key.toString());
            });
  }

  @Test
  void damageInALaterSegment_releasesOnlyTheVerifiedSegmentsBeforeIt_andKeepsFailing()
      throws IOException {
    byte[] plaintext = bytes(new Random(11), 2 * SEGMENT_BYTES + 10);
    byte[] sealed = encrypt(plaintext);
    sealed[header + SEGMENT_BYTES + TAG + 7] ^= 1;
    byte[] read = new byte[plaintext.length];
    int total = 0;

    try (InputStream in = decrypting(sealed)) {
      EnvelopeException failure = null;
      try {
        int n;
        while ((n = in.read(read, total, read.length - total)) > 0) {
          total += n;
        }
      } catch (EnvelopeException e) {
        failure = e;
      }
      assertThat(failure).isNotNull();
      assertThat(total).isEqualTo(SEGMENT_BYTES);
      assertThat(Arrays.copyOf(read, total)).isEqualTo(Arrays.copyOf(plaintext, total));
      assertThatThrownBy(in::read).isSameAs(failure);
    }
  }

  @Test
  void anyRandomDamage_isATypedErrorAndNeverWrongBytes() throws IOException {
    Random random = new Random(20240613);
    for (int round = 0; round < 40; round++) {
      byte[] plaintext = bytes(random, random.nextInt(2 * SEGMENT_BYTES + 200));
      byte[] sealed = encrypt(plaintext);
      byte[] damaged = damage(sealed, random);

      EnvelopeException failure = null;
      byte[] read = null;
      try (InputStream in = decrypting(damaged)) {
        read = in.readAllBytes();
      } catch (EnvelopeException e) {
        failure = e;
      }
      assertThat(failure)
          .as("round %d: damaged stream of %d bytes read back", round, plaintext.length)
          .isNotNull();
      assertThat(read).isNull();
      try (InputStream in = decrypting(sealed)) {
        assertThat(in.readAllBytes()).as("control: undamaged round %d", round).isEqualTo(plaintext);
      }
    }
  }

  @Test
  void writesAfterClose_areRefused_andCloseIsIdempotent() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    EncryptingOutputStream out = new EncryptingOutputStream(sink, key, keyring, AD);
    out.write(1);
    out.close();
    int written = sink.size();
    out.close();

    assertThat(sink.size()).isEqualTo(written);
    assertThatThrownBy(() -> out.write(2)).isInstanceOf(IOException.class);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static byte[] damage(byte[] sealed, Random random) {
    int at = random.nextInt(sealed.length);
    return switch (random.nextInt(4)) {
      case 0 -> {
        byte[] flipped = sealed.clone();
        flipped[at] ^= (byte) (1 << random.nextInt(8));
        yield flipped;
      }
      case 1 -> Arrays.copyOf(sealed, at);
      case 2 ->
          join(
              Arrays.copyOf(sealed, at),
              new byte[] {(byte) random.nextInt()},
              Arrays.copyOfRange(sealed, at, sealed.length));
      default -> join(Arrays.copyOf(sealed, at), Arrays.copyOfRange(sealed, at + 1, sealed.length));
    };
  }

  /** The reason decrypting {@code sealed} in full fails, or null when it decrypts. */
  private Reason reasonOf(byte[] sealed) throws IOException {
    try (InputStream in = decrypting(sealed)) {
      in.readAllBytes();
      return null;
    } catch (EnvelopeException e) {
      return e.reason();
    }
  }

  private byte[] encrypt(byte[] plaintext) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (EncryptingOutputStream out = new EncryptingOutputStream(sink, key, keyring, AD)) {
      out.write(plaintext);
    }
    return sink.toByteArray();
  }

  private byte[] encryptInChunks(byte[] plaintext, Random random) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (EncryptingOutputStream out = new EncryptingOutputStream(sink, key, keyring, AD)) {
      int at = 0;
      while (at < plaintext.length) {
        int n = Math.min(plaintext.length - at, 1 + random.nextInt(300_000));
        out.write(plaintext, at, n);
        at += n;
      }
    }
    return sink.toByteArray();
  }

  private byte[] decryptInChunks(byte[] sealed, Random random) throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (InputStream in = decrypting(sealed)) {
      byte[] buffer = new byte[400_000];
      int n;
      while ((n = in.read(buffer, 0, 1 + random.nextInt(buffer.length))) != -1) {
        plain.write(buffer, 0, n);
      }
    }
    return plain.toByteArray();
  }

  private DecryptingInputStream decrypting(byte[] sealed) throws IOException {
    return new DecryptingInputStream(new ByteArrayInputStream(sealed), keyring, AD);
  }

  /** The header, then each sealed segment. */
  private byte[][] split(byte[] sealed) {
    int segments = (sealed.length - header + SEGMENT_BYTES + TAG - 1) / (SEGMENT_BYTES + TAG);
    byte[][] parts = new byte[segments + 1][];
    parts[0] = Arrays.copyOf(sealed, header);
    for (int i = 0; i < segments; i++) {
      int from = header + i * (SEGMENT_BYTES + TAG);
      parts[i + 1] =
          Arrays.copyOfRange(sealed, from, Math.min(sealed.length, from + SEGMENT_BYTES + TAG));
    }
    return parts;
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
