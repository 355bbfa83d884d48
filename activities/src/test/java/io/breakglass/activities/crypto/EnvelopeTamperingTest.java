package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.EnvelopeException.Reason.AUTHENTICATION_FAILED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.MALFORMED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.UNKNOWN_KEY_ID;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.EnvelopeException.Reason;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A single flipped bit anywhere is a typed refusal. Small envelopes are flipped at every bit of
 * every region, large ones at a seeded sample ({@link BitFlips}).
 */
class EnvelopeTamperingTest {

  private static final int[] SIZES = {0, 1, 15, 16, 17, 40, 4096, 65536};

  private final EnvelopeFixture fixture = new EnvelopeFixture();

  static Stream<Arguments> formsAndSizes() {
    return Arrays.stream(EnvelopeForm.values())
        .flatMap(form -> IntStream.of(SIZES).mapToObj(size -> Arguments.of(form, size)));
  }

  static Stream<Arguments> formsAndSmallSizes() {
    return Arrays.stream(EnvelopeForm.values())
        .flatMap(form -> IntStream.of(0, 1, 17, 40).mapToObj(size -> Arguments.of(form, size)));
  }

  @ParameterizedTest(name = "{0}, {1}-byte plaintext")
  @MethodSource("formsAndSizes")
  void singleBitFlipInTheNonce_failsAuthentication(EnvelopeForm form, int size) {
    Sealed sealed = seal(form, size);
    byte[] nonce = sealed.envelope.nonce();
    for (int bit : sealed.bits(nonce.length * 8)) {
      Envelope flipped =
          new Envelope(
              sealed.envelope.keyId(), BitFlips.flip(nonce, bit), sealed.envelope.ciphertext());
      sealed.refuses(form.codec().encode(flipped), "nonce bit " + bit, AUTHENTICATION_FAILED);
    }
  }

  @ParameterizedTest(name = "{0}, {1}-byte plaintext")
  @MethodSource("formsAndSizes")
  void singleBitFlipInTheCiphertextBody_failsAuthentication(EnvelopeForm form, int size) {
    Sealed sealed = seal(form, size);
    byte[] ciphertext = sealed.envelope.ciphertext();
    for (int bit : sealed.bits((ciphertext.length - Envelope.TAG_BYTES) * 8)) {
      Envelope flipped =
          new Envelope(
              sealed.envelope.keyId(), sealed.envelope.nonce(), BitFlips.flip(ciphertext, bit));
      sealed.refuses(form.codec().encode(flipped), "ciphertext bit " + bit, AUTHENTICATION_FAILED);
    }
  }

  @ParameterizedTest(name = "{0}, {1}-byte plaintext")
  @MethodSource("formsAndSizes")
  void singleBitFlipInTheTag_failsAuthentication(EnvelopeForm form, int size) {
    Sealed sealed = seal(form, size);
    byte[] ciphertext = sealed.envelope.ciphertext();
    int tagStart = (ciphertext.length - Envelope.TAG_BYTES) * 8;
    for (int bit : sealed.bits(Envelope.TAG_BYTES * 8)) {
      Envelope flipped =
          new Envelope(
              sealed.envelope.keyId(),
              sealed.envelope.nonce(),
              BitFlips.flip(ciphertext, tagStart + bit));
      sealed.refuses(form.codec().encode(flipped), "tag bit " + bit, AUTHENTICATION_FAILED);
    }
  }

  @ParameterizedTest(name = "{0}, {1}-byte plaintext")
  @MethodSource("formsAndSizes")
  void singleBitFlipInTheKeyId_isUnknownMalformedOrFailsAuthentication(
      EnvelopeForm form, int size) {
    Sealed sealed = seal(form, size);
    byte[] keyId = sealed.envelope.keyId().toString().getBytes(UTF_8);
    assertThat(form.storedWithKeyIdBytes(sealed.envelope, keyId))
        .as(fixture.where("%s: rewriting the key id with its own bytes changes nothing", form))
        .isEqualTo(sealed.stored);

    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    // Every bit even in a large envelope: the key id is a few bytes, and all three outcomes need
    // it.
    for (int bit = 0; bit < keyId.length * 8; bit++) {
      byte[] stored = form.storedWithKeyIdBytes(sealed.envelope, BitFlips.flip(keyId, bit));
      seen.add(
          sealed
              .refuses(
                  stored, "key id bit " + bit, UNKNOWN_KEY_ID, MALFORMED, AUTHENTICATION_FAILED)
              .reason());
    }
    // "orders-db:v7" flipped: the colon goes (MALFORMED), v6 is another known key
    // (AUTHENTICATION_FAILED).
    assertThat(seen)
        .as(fixture.where("%s", form))
        .containsExactlyInAnyOrder(UNKNOWN_KEY_ID, MALFORMED, AUTHENTICATION_FAILED);
  }

  @ParameterizedTest(name = "{0}, {1}-byte plaintext")
  @MethodSource("formsAndSizes")
  void singleBitFlipInTheAssociatedData_failsAuthentication(EnvelopeForm form, int size) {
    Sealed sealed = seal(form, size);
    for (int bit : sealed.bits(sealed.associatedData.length * 8)) {
      byte[] flipped = BitFlips.flip(sealed.associatedData, bit);
      String where =
          fixture.where("%s, %d-byte plaintext, associated data bit %d", form, size, bit);
      fixture.refuses(
          where, () -> fixture.open(form, sealed.stored, flipped), AUTHENTICATION_FAILED);
    }
  }

  @ParameterizedTest(name = "{0}, {1}-byte plaintext")
  @MethodSource("formsAndSmallSizes")
  void singleBitFlipAnywhereInTheStoredBytes_isATypedRefusal(EnvelopeForm form, int size) {
    Sealed sealed = seal(form, size);
    for (int bit = 0; bit < sealed.stored.length * 8; bit++) {
      sealed.refuses(BitFlips.flip(sealed.stored, bit), "stored bit " + bit, Reason.values());
    }
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void anEnvelopeMovedToAnotherRow_failsAuthentication(EnvelopeForm form) {
    byte[] plaintext = fixture.plaintext(64);
    byte[] stored = form.codec().encode(fixture.seal(plaintext, "17".getBytes(UTF_8)));

    assertThat(fixture.open(form, stored, "17".getBytes(UTF_8))).isEqualTo(plaintext);
    fixture.refuses(
        fixture.where("%s, row 17 read as row 18", form),
        () -> fixture.open(form, stored, "18".getBytes(UTF_8)),
        AUTHENTICATION_FAILED);
    fixture.refuses(
        fixture.where("%s, row 17 read unbound", form),
        () -> fixture.open(form, stored, null),
        AUTHENTICATION_FAILED);
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void anEnvelopeMovedBetweenRandomRows_failsAuthentication(EnvelopeForm form) {
    for (int i = 0; i < 100; i++) {
      long from = fixture.random.nextLong();
      long to = from + 1 + fixture.random.nextInt(1000);
      byte[] plaintext = fixture.plaintext(fixture.random.nextInt(200));
      byte[] stored = form.codec().encode(fixture.seal(plaintext, rowId(from)));
      String where = fixture.where("%s, case %d, row %d read as row %d", form, i, from, to);

      assertThat(fixture.open(form, stored, rowId(from))).as(where).isEqualTo(plaintext);
      fixture.refuses(where, () -> fixture.open(form, stored, rowId(to)), AUTHENTICATION_FAILED);
    }
  }

  private static byte[] rowId(long id) {
    return Long.toString(id).getBytes(UTF_8);
  }

  private Sealed seal(EnvelopeForm form, int size) {
    byte[] plaintext = fixture.plaintext(size);
    byte[] associatedData = fixture.bytes(16);
    Envelope envelope = fixture.seal(plaintext, associatedData);
    byte[] stored = form.codec().encode(envelope);
    // Control: untouched, it decrypts, so the flip is what breaks it.
    assertThat(fixture.open(form, stored, associatedData))
        .as(fixture.where("%s, %d-byte plaintext, untouched", form, size))
        .isEqualTo(plaintext);
    return new Sealed(form, envelope, stored, associatedData);
  }

  /** One sealed envelope, its stored bytes and associated data. */
  private final class Sealed {
    final EnvelopeForm form;
    final Envelope envelope;
    final byte[] stored;
    final byte[] associatedData;

    Sealed(EnvelopeForm form, Envelope envelope, byte[] stored, byte[] associatedData) {
      this.form = form;
      this.envelope = envelope;
      this.stored = stored;
      this.associatedData = associatedData;
    }

    /** Every bit of a region of a small envelope, a sample of a large one's. */
    int[] bits(int regionBits) {
      return BitFlips.positions(fixture.random, stored.length, regionBits);
    }

    /** Tampered bytes that differ from the original are refused for one of {@code expected}. */
    EnvelopeException refuses(byte[] tampered, String what, Reason... expected) {
      String where = fixture.where("%s, %d-byte envelope, %s", form, stored.length, what);
      assertThat(tampered).as(where + ": the flip changed the stored bytes").isNotEqualTo(stored);
      return fixture.refuses(where, () -> fixture.open(form, tampered, associatedData), expected);
    }
  }
}
