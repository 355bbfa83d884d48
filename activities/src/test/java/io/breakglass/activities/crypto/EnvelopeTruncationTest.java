package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.EnvelopeException.Reason.AUTHENTICATION_FAILED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.MALFORMED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every prefix of a stored envelope is a typed refusal, never a crash and never a decrypt. */
class EnvelopeTruncationTest {

  private static final int[] EDGE_SIZES = {0, 1, 15, 16, 17, 100};
  private static final int RANDOM_CASES = 6;

  private final EnvelopeFixture fixture = new EnvelopeFixture();

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void everyPrefixOfAStoredEnvelope_isRefusedWithATypedError(EnvelopeForm form) {
    for (int size : sizes()) {
      byte[] plaintext = fixture.plaintext(size);
      byte[] associatedData = fixture.associatedData();
      byte[] stored = form.codec().encode(fixture.seal(plaintext, associatedData));
      assertThat(fixture.open(form, stored, associatedData))
          .as(fixture.where("%s, %d-byte plaintext, whole envelope", form, size))
          .isEqualTo(plaintext);

      for (int length = 0; length < stored.length; length++) {
        byte[] prefix = Arrays.copyOf(stored, length);
        fixture.refuses(
            fixture.where(
                "%s, %d-byte plaintext, first %d of %d bytes", form, size, length, stored.length),
            () -> fixture.open(form, prefix, associatedData),
            TRUNCATED,
            MALFORMED,
            AUTHENTICATION_FAILED);
      }
    }
  }

  @Test
  void aBinaryPrefixShorterThanItsHeaderAndTag_isTruncated() {
    for (int size : sizes()) {
      byte[] stored =
          EnvelopeForm.BINARY.codec().encode(fixture.seal(fixture.plaintext(size), null));
      int headerAndTag =
          2
              + EnvelopeFixture.KEY_ID.toString().length()
              + Envelope.NONCE_BYTES
              + Envelope.TAG_BYTES;

      for (int length = 0; length < headerAndTag; length++) {
        byte[] prefix = Arrays.copyOf(stored, length);
        fixture.refuses(
            fixture.where("%d-byte plaintext, first %d bytes", size, length),
            () -> EnvelopeForm.BINARY.codec().decode(prefix),
            TRUNCATED);
      }
    }
  }

  @Test
  void aBinaryPrefixThatCutsOnlyTheCiphertext_parsesButFailsAuthentication() {
    for (int size : sizes()) {
      byte[] stored =
          EnvelopeForm.BINARY.codec().encode(fixture.seal(fixture.plaintext(size), null));
      int headerAndTag =
          2
              + EnvelopeFixture.KEY_ID.toString().length()
              + Envelope.NONCE_BYTES
              + Envelope.TAG_BYTES;

      for (int length = headerAndTag; length < stored.length; length++) {
        byte[] prefix = Arrays.copyOf(stored, length);
        fixture.refuses(
            fixture.where("%d-byte plaintext, first %d bytes", size, length),
            () -> fixture.open(EnvelopeForm.BINARY, prefix, null),
            AUTHENTICATION_FAILED);
      }
    }
  }

  @Test
  void aJsonPrefix_isTruncated() {
    for (int size : sizes()) {
      byte[] stored = EnvelopeForm.JSON.codec().encode(fixture.seal(fixture.plaintext(size), null));

      for (int length = 0; length < stored.length; length++) {
        byte[] prefix = Arrays.copyOf(stored, length);
        fixture.refuses(
            fixture.where("%d-byte plaintext, first %d bytes", size, length),
            () -> EnvelopeForm.JSON.codec().decode(prefix),
            TRUNCATED);
      }
    }
  }

  private int[] sizes() {
    return IntStream.concat(
            IntStream.of(EDGE_SIZES),
            IntStream.range(0, RANDOM_CASES).map(i -> fixture.random.nextInt(600)))
        .toArray();
  }
}
