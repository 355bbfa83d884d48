package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.EnvelopeException.Reason.MALFORMED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.TRUNCATED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.UNKNOWN_KEY_ID;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.UNSUPPORTED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The binary form: magic byte, key id length, key id, nonce, ciphertext and tag. */
class BinaryEnvelopeCodecTest {

  private final EnvelopeFixture fixture = new EnvelopeFixture();
  private final BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();
  private final Envelope envelope = fixture.seal(fixture.plaintext(100), null);
  private final byte[] stored = codec.encode(envelope);

  @Test
  void theLayoutIsMagicKeyIdLengthKeyIdNonceAndCiphertextWithTag() {
    byte[] kid = "orders-db:v7".getBytes(UTF_8);

    assertThat(stored)
        .isEqualTo(
            concat(
                new byte[] {0x01, (byte) kid.length},
                kid,
                envelope.nonce(),
                envelope.ciphertext()));
  }

  @Test
  void aWrongMagicByte_isUnsupported() {
    for (int magic = 0; magic < 256; magic++) {
      if (magic == BinaryEnvelopeCodec.MAGIC) {
        continue;
      }
      byte[] other = stored.clone();
      other[0] = (byte) magic;
      fixture.refuses(fixture.where("magic 0x%02x", magic), () -> codec.decode(other), UNSUPPORTED);
    }
  }

  @Test
  void aJsonEnvelopeHandedToTheBinaryCodec_isUnsupported() {
    byte[] json = new JsonEnvelopeCodec().encode(envelope);

    fixture.refuses(fixture.where("JSON form"), () -> codec.decode(json), UNSUPPORTED);
  }

  @Test
  void emptyInput_isTruncated() {
    fixture.refuses(fixture.where("empty"), () -> codec.decode(new byte[0]), TRUNCATED);
    fixture.refuses(fixture.where("null"), () -> codec.decode(null), TRUNCATED);
  }

  @Test
  void onlyTheMagicByte_isTruncated() {
    fixture.refuses(fixture.where("magic only"), () -> codec.decode(new byte[] {0x01}), TRUNCATED);
  }

  @Test
  void aKeyIdLengthThatRunsPastTheEnd_isTruncated() {
    for (int length : new int[] {stored.length - 2 - 12 - 16 + 1, 200, 255}) {
      byte[] other = stored.clone();
      other[1] = (byte) length;
      fixture.refuses(
          fixture.where("key id length %d", length), () -> codec.decode(other), TRUNCATED);
    }
  }

  @Test
  void aKeyIdThatIsNotSecretColonVersion_isMalformed() {
    for (String kid : new String[] {"", "orders-db", ":v7", "orders-db:", ":"}) {
      byte[] bytes = kid.getBytes(UTF_8);
      byte[] other =
          concat(
              new byte[] {0x01, (byte) bytes.length},
              bytes,
              envelope.nonce(),
              envelope.ciphertext());
      fixture.refuses(fixture.where("key id '%s'", kid), () -> codec.decode(other), MALFORMED);
    }
  }

  @Test
  void aKeyIdThatIsNotUtf8_isUnknownOrMalformed() {
    byte[] kid = {'o', 'r', 'd', 'e', 'r', 's', ':', 'v', (byte) 0xc3, (byte) 0x28};
    byte[] other =
        concat(new byte[] {0x01, (byte) kid.length}, kid, envelope.nonce(), envelope.ciphertext());

    fixture.refuses(
        fixture.where("invalid UTF-8"),
        () -> fixture.open(EnvelopeForm.BINARY, other, null),
        UNKNOWN_KEY_ID,
        MALFORMED);
  }

  @Test
  void aKeyIdOf255Bytes_fitsAndOneMoreDoesNot() {
    KeyId longest = new KeyId("s", "v".repeat(253));
    Envelope longestEnvelope = new Envelope(longest, envelope.nonce(), envelope.ciphertext());

    assertThat(codec.decode(codec.encode(longestEnvelope))).isEqualTo(longestEnvelope);
    assertThatThrownBy(
            () ->
                codec.encode(
                    new Envelope(
                        new KeyId("s", "v".repeat(254)), envelope.nonce(), envelope.ciphertext())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyIdOf_readsTheKeyId() {
    assertThat(codec.keyIdOf(stored)).isEqualTo(EnvelopeFixture.KEY_ID);
    fixture.refuses(
        fixture.where("keyIdOf a prefix"),
        () -> codec.keyIdOf(Arrays.copyOf(stored, 5)),
        TRUNCATED);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
