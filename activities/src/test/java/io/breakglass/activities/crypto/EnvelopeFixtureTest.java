package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.EnvelopeException.Reason.AUTHENTICATION_FAILED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.MALFORMED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.UNKNOWN_KEY_ID;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Negative controls: the harness the envelope properties rely on can fail. */
class EnvelopeFixtureTest {

  private final EnvelopeFixture fixture = new EnvelopeFixture();

  @Test
  void aBitFlipChangesExactlyThatBitOfACopy() {
    byte[] original = fixture.bytes(64);
    byte[] untouched = original.clone();
    for (int bit = 0; bit < original.length * 8; bit++) {
      byte[] flipped = BitFlips.flip(original, bit);
      int differingBits = 0;
      for (int i = 0; i < original.length; i++) {
        differingBits += Integer.bitCount((original[i] ^ flipped[i]) & 0xff);
      }
      assertThat(differingBits).as(fixture.where("bit %d", bit)).isEqualTo(1);
      assertThat((flipped[bit / 8] ^ original[bit / 8]) & 0xff).isEqualTo(1 << (bit % 8));
      assertThat(BitFlips.flip(flipped, bit)).isEqualTo(original);
    }
    assertThat(original).isEqualTo(untouched);
  }

  @Test
  void smallEnvelopesAreFlippedAtEveryBitAndLargeOnesSampled() {
    assertThat(BitFlips.positions(fixture.random, 1024, 8192))
        .hasSize(8192)
        .doesNotHaveDuplicates();
    assertThat(BitFlips.positions(fixture.random, 65536, 96)).hasSize(BitFlips.SAMPLED_BITS);
    int[] sample = BitFlips.positions(fixture.random, 65536, 65536 * 8);
    assertThat(sample).hasSize(BitFlips.SAMPLED_BITS);
    assertThat(Arrays.stream(sample).min().getAsInt()).isNotNegative();
    assertThat(Arrays.stream(sample).max().getAsInt()).isLessThan(65536 * 8);
  }

  @Test
  void refuses_failsWhenTheEnvelopeDecrypts() {
    byte[] stored = EnvelopeForm.BINARY.codec().encode(fixture.seal(fixture.plaintext(40), null));
    assertThatThrownBy(
            () ->
                fixture.refuses(
                    "control",
                    () -> fixture.open(EnvelopeForm.BINARY, stored, null),
                    AUTHENTICATION_FAILED))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("succeeded");
  }

  @Test
  void refuses_failsOnAnotherExceptionType() {
    assertThatThrownBy(
            () ->
                fixture.refuses(
                    "control",
                    () -> {
                      throw new IllegalStateException("boom");
                    },
                    AUTHENTICATION_FAILED))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("EnvelopeException");
  }

  @Test
  void refuses_failsOnAnUnexpectedReason() {
    assertThatThrownBy(
            () ->
                fixture.refuses(
                    "control",
                    () -> {
                      throw new EnvelopeException(MALFORMED, "bad");
                    },
                    UNKNOWN_KEY_ID))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void theSecretCheck_catchesKeysInHexOrBase64AndTheCanary() {
    byte[] key = fixture.key;
    String[] leaks = {
      HexFormat.of().formatHex(key),
      HexFormat.of().withUpperCase().formatHex(key),
      Base64.getEncoder().encodeToString(key),
      Base64.getUrlEncoder().withoutPadding().encodeToString(key),
      EnvelopeFixture.CANARY,
      Base64.getEncoder().encodeToString(fixture.plaintext(200)),
      HexFormat.of().formatHex(EnvelopeFixture.CANARY.getBytes(UTF_8)),
    };
    for (String leak : leaks) {
      EnvelopeException leaky = new EnvelopeException(AUTHENTICATION_FAILED, "under " + leak);
      assertThatThrownBy(() -> fixture.assertNoSecretsIn(leaky, "control"))
          .as(leak)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("leaks a secret");
    }
    fixture.assertNoSecretsIn(
        new EnvelopeException(
            AUTHENTICATION_FAILED, "tag does not verify under " + EnvelopeFixture.KEY_ID),
        "control");
  }

  @Test
  void theFixedKeyring_refusesAnIdItDoesNotKnowAsTheKeyringContractSays() {
    fixture.refuses(
        fixture.where("unknown id"),
        () -> fixture.keyring.key(new KeyId("orders-db", "v8")),
        UNKNOWN_KEY_ID);
    assertThat(fixture.keyring.key(EnvelopeFixture.KEY_ID).getEncoded()).isEqualTo(fixture.key);
  }
}
