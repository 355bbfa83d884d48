package io.breakglass.workflows.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadEncryptionCodecTest {

  private static final String CANARY = "canary-reason-4d1f";

  private final byte[] oldKey = randomKey();
  private final byte[] newKey = randomKey();

  @Test
  void aPayload_roundTripsAndIsStoredEncryptedUnderThePrimaryKeyId() {
    PayloadEncryptionCodec codec =
        new PayloadEncryptionCodec(keyring("codec-2", Map.of("codec-2", newKey)));
    Payload plain = json("{\"reason\":\"" + CANARY + "\"}");

    Payload encoded = codec.encode(List.of(plain)).get(0);

    assertThat(encoded.getMetadataMap())
        .containsEntry("encoding", ByteString.copyFromUtf8("binary/encrypted"))
        .containsEntry("encryption-key-id", ByteString.copyFromUtf8("codec-2"));
    assertThat(wireText(encoded)).doesNotContain(CANARY).doesNotContain("json/plain");
    assertThat(codec.decode(List.of(encoded))).containsExactly(plain);
  }

  @Test
  void theSamePayloadEncodedTwice_getsTwoDifferentCiphertexts() {
    PayloadEncryptionCodec codec =
        new PayloadEncryptionCodec(keyring("codec-2", Map.of("codec-2", newKey)));
    Payload plain = json("{}");

    assertThat(codec.encode(List.of(plain, plain)))
        .extracting(Payload::getData)
        .doesNotHaveDuplicates();
  }

  @Test
  void aPayloadUnderAnOlderKey_stillDecodes_whileTheNewPrimaryEncodes() {
    Payload plain = json("{\"comment\":\"" + CANARY + "\"}");
    Payload underOldKey =
        new PayloadEncryptionCodec(keyring("codec-1", Map.of("codec-1", oldKey)))
            .encode(List.of(plain))
            .get(0);
    Map<String, byte[]> both = new LinkedHashMap<>();
    both.put("codec-2", newKey);
    both.put("codec-1", oldKey);
    PayloadEncryptionCodec rotated = new PayloadEncryptionCodec(keyring("codec-2", both));

    assertThat(rotated.decode(List.of(underOldKey))).containsExactly(plain);
    assertThat(rotated.encode(List.of(plain)).get(0).getMetadataMap())
        .containsEntry("encryption-key-id", ByteString.copyFromUtf8("codec-2"));
  }

  @Test
  void aPayloadUnderAnUnknownKeyId_isAnErrorNamingTheId() {
    Payload underOldKey =
        new PayloadEncryptionCodec(keyring("codec-1", Map.of("codec-1", oldKey)))
            .encode(List.of(json("{}")))
            .get(0);
    PayloadEncryptionCodec withoutIt =
        new PayloadEncryptionCodec(keyring("codec-2", Map.of("codec-2", newKey)));

    assertThatThrownBy(() -> withoutIt.decode(List.of(underOldKey)))
        .isInstanceOf(UnknownCodecKeyException.class)
        .hasMessageContaining("codec key codec-1")
        .hasMessageContaining("[codec-2]")
        .satisfies(e -> assertThat(((UnknownCodecKeyException) e).keyId()).isEqualTo("codec-1"));
  }

  @Test
  void aPayloadWithoutTheEncryptedEncoding_passesThroughDecodeUnchanged() {
    PayloadEncryptionCodec codec =
        new PayloadEncryptionCodec(keyring("codec-2", Map.of("codec-2", newKey)));
    Payload recordedBeforeTheCodec = json("{\"reason\":\"old history\"}");

    assertThat(codec.decode(List.of(recordedBeforeTheCodec)))
        .containsExactly(recordedBeforeTheCodec);
  }

  @Test
  void negativeControl_aTamperedCiphertext_failsToDecode() {
    PayloadEncryptionCodec codec =
        new PayloadEncryptionCodec(keyring("codec-2", Map.of("codec-2", newKey)));
    Payload encoded = codec.encode(List.of(json("{\"n\":1}"))).get(0);
    byte[] data = encoded.getData().toByteArray();
    data[data.length - 20] ^= 1;

    assertThatThrownBy(
            () ->
                codec.decode(
                    List.of(encoded.toBuilder().setData(ByteString.copyFrom(data)).build())))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("codec key codec-2 does not authenticate");
  }

  @Test
  void aPayloadRelabelledWithAnotherKeyId_failsToDecode_evenWhenThatKeyIsTheSame() {
    Map<String, byte[]> sameKeyTwice = new LinkedHashMap<>();
    sameKeyTwice.put("codec-2", newKey);
    sameKeyTwice.put("codec-2-copy", newKey);
    PayloadEncryptionCodec codec = new PayloadEncryptionCodec(keyring("codec-2", sameKeyTwice));
    Payload encoded = codec.encode(List.of(json("{}"))).get(0);
    Payload relabelled =
        encoded.toBuilder()
            .putMetadata("encryption-key-id", ByteString.copyFromUtf8("codec-2-copy"))
            .build();

    assertThatThrownBy(() -> codec.decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void aTruncatedPayload_isAnErrorNotACrash() {
    PayloadEncryptionCodec codec =
        new PayloadEncryptionCodec(keyring("codec-2", Map.of("codec-2", newKey)));
    Payload encoded = codec.encode(List.of(json("{}"))).get(0);
    Payload truncated = encoded.toBuilder().setData(encoded.getData().substring(0, 20)).build();

    assertThatThrownBy(() -> codec.decode(List.of(truncated)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void aKeyringRefusesAShortKeyAndAMissingPrimary_namingTheIds() {
    assertThatThrownBy(() -> CodecKeyring.of("short", Map.of("short", new byte[16])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codec key short holds 16 bytes");
    assertThatThrownBy(() -> CodecKeyring.of("codec-9", Map.of("codec-2", newKey)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codec-9");
    assertThat(keyring("codec-2", Map.of("codec-2", newKey)).toString())
        .isEqualTo("CodecKeyring(primary codec-2, keys [codec-2])");
  }

  static CodecKeyring keyring(String primary, Map<String, byte[]> keys) {
    return CodecKeyring.of(primary, keys);
  }

  static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static Payload json(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(text, StandardCharsets.UTF_8))
        .build();
  }

  /**
   * The message's wire bytes as Latin-1 text: one char per byte, so a search for ASCII is exact.
   */
  private static String wireText(MessageLite message) {
    return message.toByteString().toString(StandardCharsets.ISO_8859_1);
  }
}
