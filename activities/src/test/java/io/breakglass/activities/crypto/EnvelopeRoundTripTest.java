package io.breakglass.activities.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encrypt, encode, decode, decrypt: the plaintext comes back, in both stored forms. */
class EnvelopeRoundTripTest {

  private static final int[] EDGE_SIZES = {
    0, 1, 2, 15, 16, 17, 31, 32, 33, 255, 256, 257, 4095, 4096, 4097, 65535, 65536
  };
  private static final int RANDOM_CASES = 300;
  private static final int MAX_SIZE = 65536;

  private final EnvelopeFixture fixture = new EnvelopeFixture();

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void anyPlaintextAndAssociatedData_surviveEncryptEncodeDecodeDecrypt(EnvelopeForm form) {
    int[] sizes =
        IntStream.concat(
                IntStream.of(EDGE_SIZES),
                // Mostly small sizes, with a quarter spread up to 64 KiB.
                IntStream.range(0, RANDOM_CASES)
                    .map(
                        i ->
                            fixture.random.nextInt(4) == 0
                                ? fixture.random.nextInt(MAX_SIZE + 1)
                                : fixture.random.nextInt(1024)))
            .toArray();
    for (int i = 0; i < sizes.length; i++) {
      byte[] plaintext = fixture.plaintext(sizes[i]);
      byte[] associatedData = fixture.associatedData();
      String where =
          fixture.where(
              "%s, case %d, %d-byte plaintext, associated data %s",
              form,
              i,
              sizes[i],
              associatedData == null ? "null" : associatedData.length + " bytes");

      byte[] stored = form.codec().encode(fixture.seal(plaintext, associatedData));

      assertThat(fixture.open(form, stored, associatedData)).as(where).isEqualTo(plaintext);
    }
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void nullAndEmptyAssociatedData_areEquivalent(EnvelopeForm form) {
    for (int i = 0; i < 50; i++) {
      byte[] plaintext = fixture.plaintext(fixture.random.nextInt(100));
      String where = fixture.where("%s, case %d", form, i);

      byte[] sealedWithNull = form.codec().encode(fixture.seal(plaintext, null));
      byte[] sealedWithEmpty = form.codec().encode(fixture.seal(plaintext, new byte[0]));

      assertThat(fixture.open(form, sealedWithNull, new byte[0])).as(where).isEqualTo(plaintext);
      assertThat(fixture.open(form, sealedWithEmpty, null)).as(where).isEqualTo(plaintext);
    }
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void decodingThenEncoding_givesTheStoredBytesBack(EnvelopeForm form) {
    for (int i = 0; i < 100; i++) {
      Envelope envelope = fixture.seal(fixture.plaintext(fixture.random.nextInt(2048)), null);
      byte[] stored = form.codec().encode(envelope);
      String where = fixture.where("%s, case %d", form, i);

      Envelope decoded = form.codec().decode(stored);

      assertThat(decoded).as(where).isEqualTo(envelope);
      assertThat(form.codec().encode(decoded)).as(where).isEqualTo(stored);
    }
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void theStoredFormCarriesTheKeyId(EnvelopeForm form) {
    byte[] stored = form.codec().encode(fixture.seal(fixture.plaintext(10), null));

    assertThat(form.codec().decode(stored).keyId()).isEqualTo(EnvelopeFixture.KEY_ID);
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void everyEncryption_drawsAFreshNonce(EnvelopeForm form) {
    byte[] plaintext = fixture.plaintext(64);
    Set<String> nonces = new HashSet<>();
    Set<String> stored = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Envelope envelope = fixture.seal(plaintext, null);
      nonces.add(HexFormat.of().formatHex(envelope.nonce()));
      stored.add(HexFormat.of().formatHex(form.codec().encode(envelope)));
    }
    assertThat(nonces).hasSize(1000);
    assertThat(stored).hasSize(1000);
  }
}
