package io.breakglass.workflows.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.values.GateName;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A converter with {@code requireEncoded} reads what the codec encrypted; anything else reads as an
 * unreadable command naming the reason, and as no other type at all.
 */
class EncodedOnlyCodecTest {

  private static final CodecKeyring KEYRING = keyring();
  private static final Approval APPROVAL = new Approval(GateName.PROCEED, "bob", "plain");

  private final DataConverter strict = BreakglassDataConverter.create(KEYRING, true);
  private final Payloads plain = BreakglassDataConverter.create().toPayloads(APPROVAL).orElseThrow();

  @Test
  void anEncryptedCommand_readsAsSent() {
    Payloads encrypted = BreakglassDataConverter.create(KEYRING).toPayloads(APPROVAL).orElseThrow();

    assertThat(strict.fromPayloads(0, Optional.of(encrypted), Approval.class, Approval.class)).isEqualTo(APPROVAL);
  }

  @Test
  void aPlainCommand_readsAsUnreadable_withTheReason_andNothingOfItsContent() {
    Approval read = strict.fromPayloads(0, Optional.of(plain), Approval.class, Approval.class);

    assertThat(read.problems()).containsExactly(EncodedOnlyCodec.REASON);
    assertThat(read.approver()).isNull();
    assertThat(read.gate()).isNull();
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

    assertThat(lenient.fromPayloads(0, Optional.of(plain), Approval.class, Approval.class)).isEqualTo(APPROVAL);
  }

  private static CodecKeyring keyring() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return CodecKeyring.of("codec-1", Map.of("codec-1", key));
  }
}
