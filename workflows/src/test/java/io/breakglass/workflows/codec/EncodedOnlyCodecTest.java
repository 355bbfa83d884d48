package io.breakglass.workflows.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.values.GateName;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodecException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A converter with {@code requireEncoded} reads what the codec encrypted; anything else (plain,
 * forged, or under a key this worker lacks) reads as an unreadable command naming the reason, and
 * as no other type at all.
 */
class EncodedOnlyCodecTest {

  private static final CodecKeyring KEYRING = keyring();
  private static final Approval APPROVAL = new Approval(GateName.PROCEED, "bob", "plain");

  private final DataConverter strict = BreakglassDataConverter.create(KEYRING, true);
  private final Payloads plain =
      BreakglassDataConverter.create().toPayloads(APPROVAL).orElseThrow();

  @Test
  void anEncryptedCommand_readsAsSent() {
    Payloads encrypted = BreakglassDataConverter.create(KEYRING).toPayloads(APPROVAL).orElseThrow();

    assertThat(strict.fromPayloads(0, Optional.of(encrypted), Approval.class, Approval.class))
        .isEqualTo(APPROVAL);
  }

  @Test
  void aPlainCommand_readsAsUnreadable_withTheReason_andNothingOfItsContent() {
    Approval read = strict.fromPayloads(0, Optional.of(plain), Approval.class, Approval.class);

    assertThat(read.problems()).containsExactly(EncodedOnlyCodec.REASON);
    assertThat(read.approver()).isNull();
    assertThat(read.gate()).isNull();
  }

  @Test
  void
      aForgedEncryptedCommand_orOneUnderAKeyThisWorkerLacks_readsAsUnreadable_ratherThanThrowing() {
    Payloads forged =
        Payloads.newBuilder()
            .addPayloads(
                Payload.newBuilder()
                    .putMetadata(
                        "encoding", ByteString.copyFromUtf8(PayloadEncryptionCodec.ENCODING))
                    .putMetadata(PayloadEncryptionCodec.KEY_ID, ByteString.copyFromUtf8("codec-1"))
                    .setData(ByteString.copyFrom(new byte[64])))
            .build();
    Payloads foreign =
        BreakglassDataConverter.create(keyring("codec-elsewhere"))
            .toPayloads(APPROVAL)
            .orElseThrow();

    for (Payloads payloads : List.of(forged, foreign)) {
      Approval read = strict.fromPayloads(0, Optional.of(payloads), Approval.class, Approval.class);

      assertThat(read.problems()).containsExactly(EncodedOnlyCodec.REASON);
    }
    assertThatThrownBy(
            () ->
                BreakglassDataConverter.create(KEYRING, false)
                    .fromPayloads(0, Optional.of(forged), Approval.class, Approval.class))
        .as("negative control: the lenient converter throws, which fails the workflow task")
        .isInstanceOf(PayloadCodecException.class);
  }

  @Test
  void aPlainValueOfAnyOtherType_isNotReadAtAll() {
    Payloads text = BreakglassDataConverter.create().toPayloads("P30D").orElseThrow();

    assertThatThrownBy(() -> strict.fromPayloads(0, Optional.of(text), String.class, String.class))
        .isInstanceOf(DataConverterException.class)
        .hasMessageContaining(EncodedOnlyCodec.REASON);
  }

  @Test
  void negativeControl_withoutRequireEncoded_thePlainCommandReads() {
    DataConverter lenient = BreakglassDataConverter.create(KEYRING, false);

    assertThat(lenient.fromPayloads(0, Optional.of(plain), Approval.class, Approval.class))
        .isEqualTo(APPROVAL);
  }

  private static CodecKeyring keyring() {
    return keyring("codec-1");
  }

  private static CodecKeyring keyring(String id) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return CodecKeyring.of(id, Map.of(id, key));
  }
}
