package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.EnvelopeException.Reason.AUTHENTICATION_FAILED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.UNKNOWN_KEY_ID;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An envelope decrypts only under the key its id names in the keyring. */
class EnvelopeKeyringTest {

  private static final int CASES = 100;

  private final EnvelopeFixture fixture = new EnvelopeFixture();

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void aDifferentKeyUnderTheSameId_failsAuthentication(EnvelopeForm form) {
    for (int i = 0; i < CASES; i++) {
      byte[] plaintext = fixture.plaintext(fixture.random.nextInt(2048));
      byte[] associatedData = fixture.associatedData();
      byte[] stored = form.codec().encode(fixture.seal(plaintext, associatedData));
      Keyring wrongKey = new FixedKeyring().with(EnvelopeFixture.KEY_ID, fixture.newKey());
      String where = fixture.where("%s, case %d, %d-byte plaintext", form, i, plaintext.length);

      assertThat(fixture.open(form, stored, associatedData)).as(where).isEqualTo(plaintext);
      EnvelopeException refusal =
          fixture.refuses(
              where,
              () -> fixture.open(form, stored, wrongKey, associatedData),
              AUTHENTICATION_FAILED);
      assertThat(refusal).as(where).hasMessageContaining(EnvelopeFixture.KEY_ID.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void aKeyIdTheKeyringDoesNotKnow_isUnknownKeyId(EnvelopeForm form) {
    for (int i = 0; i < CASES; i++) {
      byte[] plaintext = fixture.plaintext(fixture.random.nextInt(2048));
      byte[] associatedData = fixture.associatedData();
      byte[] stored = form.codec().encode(fixture.seal(plaintext, associatedData));
      // Even the right key material does not help under other ids.
      Keyring otherIds =
          new FixedKeyring()
              .with(new KeyId("orders-db", "v8"), fixture.key)
              .with(new KeyId("payments-db", "v7"), fixture.key)
              .with(new KeyId("orders-db", "v" + (8 + i)), fixture.newKey());
      String where = fixture.where("%s, case %d, %d-byte plaintext", form, i, plaintext.length);

      assertThat(fixture.open(form, stored, associatedData)).as(where).isEqualTo(plaintext);
      EnvelopeException refusal =
          fixture.refuses(
              where, () -> fixture.open(form, stored, otherIds, associatedData), UNKNOWN_KEY_ID);
      assertThat(refusal).as(where).hasMessageContaining(EnvelopeFixture.KEY_ID.toString());
      fixture.refuses(
          where,
          () -> fixture.open(form, stored, new FixedKeyring(), associatedData),
          UNKNOWN_KEY_ID);
    }
  }

  @ParameterizedTest
  @EnumSource(EnvelopeForm.class)
  void keyMaterialThatIsNot32Bytes_isUnknownKeyId(EnvelopeForm form) {
    byte[] stored = form.codec().encode(fixture.seal(fixture.plaintext(64), null));
    for (int length : new int[] {0, 16, 24, 31, 33, 64}) {
      Keyring shortKey =
          new FixedKeyring().with(EnvelopeFixture.KEY_ID, fixture.secret(fixture.bytes(length)));

      fixture.refuses(
          fixture.where("%s, %d-byte key", form, length),
          () -> fixture.open(form, stored, shortKey, null),
          UNKNOWN_KEY_ID);
    }
  }
}
