package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import io.breakglass.workflows.codec.CodecKeyring;
import io.breakglass.workflows.messages.commands.Halt;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BreakglassDataConverterTest {

  private static final String CANARY = "canary-error-93be";

  private final DataConverter withCodec = BreakglassDataConverter.create(keyring());

  @Test
  void aFailureMessageAndStackTrace_areEncoded_andDecodeBack() {
    Failure failure =
        withCodec.exceptionToFailure(
            ApplicationFailure.newFailure("disk full " + CANARY, "INJECTED"));

    assertThat(wireText(failure))
        .doesNotContain(CANARY)
        .doesNotContain("BreakglassDataConverterTest");
    assertThat(failure.getApplicationFailureInfo().getType()).isEqualTo("INJECTED");
    assertThat(withCodec.failureToException(failure)).hasMessageContaining("disk full " + CANARY);
  }

  @Test
  void negativeControl_withoutTheCodec_theFailureMessageIsInTheClear() {
    Failure failure =
        BreakglassDataConverter.create()
            .exceptionToFailure(ApplicationFailure.newFailure("disk full " + CANARY, "INJECTED"));

    assertThat(wireText(failure)).contains(CANARY);
  }

  @Test
  void aSignalArgument_isEncrypted_andTheConverterStillReadsPlainJson() {
    Halt halt = new Halt("dave", CANARY);
    Payloads encoded = withCodec.toPayloads(halt).orElseThrow();
    Payloads plain = BreakglassDataConverter.create().toPayloads(halt).orElseThrow();

    assertThat(wireText(encoded)).doesNotContain(CANARY);
    assertThat(withCodec.fromPayloads(0, Optional.of(encoded), Halt.class, Halt.class))
        .isEqualTo(halt);
    assertThat(withCodec.fromPayloads(0, Optional.of(plain), Halt.class, Halt.class))
        .isEqualTo(halt);
  }

  private static CodecKeyring keyring() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return CodecKeyring.of("codec-1", Map.of("codec-1", key));
  }

  /**
   * The message's wire bytes as Latin-1 text: one char per byte, so a search for ASCII is exact.
   */
  private static String wireText(MessageLite message) {
    return message.toByteString().toString(StandardCharsets.ISO_8859_1);
  }
}
