package io.breakglass.workflows.messages.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Commands typed by hand as JSON: read when they can be, their problems listed when not. */
class CommandJsonTest {

  private final DataConverter converter = BreakglassDataConverter.create();

  @Test
  void theDocumentedRequest_readsWithNoProblems_andEnumsInAnyCase() {
    RotationRequest request =
        read(
            """
            {"rotationId": "r1", "secrets": ["artifact-encryption-key", "ai-payload-encryption-key"],
             "kind": "emergency", "initiator": "alice", "reason": "key seen in a support ticket",
             "requiredApprovals": null, "gateTimeout": "PT4H"}""",
            RotationRequest.class);

    assertThat(request.problems()).isEmpty();
    assertThat(request)
        .isEqualTo(
            new RotationRequest(
                "r1",
                List.of("artifact-encryption-key", "ai-payload-encryption-key"),
                RotationKind.EMERGENCY,
                "alice",
                "key seen in a support ticket",
                null,
                Duration.ofHours(4)));
  }

  @Test
  void aRequestWrittenByJava_roundTrips_withItsDurationInIso8601_andNoProblemsField() {
    RotationRequest request =
        new RotationRequest(
            "r2",
            List.of("jwt"),
            RotationKind.ROUTINE,
            "alice",
            "yearly",
            2,
            Duration.ofMinutes(90));

    String json = json(request);

    assertThat(json).contains("\"gateTimeout\":\"PT1H30M\"").doesNotContain("problems");
    assertThat(read(json, RotationRequest.class)).isEqualTo(request);
  }

  @Test
  void aDurationInSecondsWithAFraction_asJavaClientsWroteIt_stillReads() {
    RotationRequest request =
        read(
            "{\"rotationId\":\"r3\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"initiator\":\"a\","
                + "\"gateTimeout\":14400.000000000}",
            RotationRequest.class);

    assertThat(request.problems()).isEmpty();
    assertThat(request.gateTimeout()).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void eachUnreadableField_isAProblemNamingTheFieldAndTheAcceptedForm() {
    RotationRequest request =
        read(
            """
            {"rotationId": 7, "secrets": "jwt", "kind": "URGENT", "initiator": "al\\u0000ice",
             "reason": {"why": "nested"}, "requiredApprovals": "2", "gateTimeout": "4h", "gatetimeout": "PT4H"}""",
            RotationRequest.class);

    assertThat(request.problems())
        .containsExactly(
            "unknown field \"gatetimeout\" (the fields are rotationId, secrets, kind, initiator, reason,"
                + " requiredApprovals, gateTimeout, initiatorProof)",
            "rotationId must be a string, not 7",
            "secrets must be a JSON array of strings",
            "kind must be one of EMERGENCY, ROUTINE (any case), not \"URGENT\"",
            "initiator must not contain control or invisible characters",
            "reason must be a string, not a JSON object",
            "requiredApprovals must be a whole number, not \"2\"",
            "gateTimeout must be an ISO-8601 duration such as PT4H or PT30M, not \"4h\"");
    assertThat(request.kind()).isNull();
    assertThat(request.gateTimeout()).isNull();
  }

  @Test
  void hugeValues_areProblems_andWhatIsEchoedIsCutShort() {
    String huge = "x".repeat(CommandJson.MAX_TEXT + 1);
    Halt halt = read("{\"actor\":\"" + huge + "\",\"reason\":\"" + huge + "\"}", Halt.class);

    assertThat(halt.problems())
        .containsExactly(
            "actor must be at most " + CommandJson.MAX_NAME + " characters, not " + huge.length(),
            "reason must be at most " + CommandJson.MAX_TEXT + " characters, not " + huge.length());
    Resume resume = read("{\"actor\":\"dave\",\"action\":\"" + huge + "\"}", Resume.class);
    assertThat(resume.problems()).singleElement().asString().hasSizeLessThan(200).contains("x…");
  }

  @Test
  void freeText_mayHoldLineBreaks_butNames_mayNotHoldInvisibleCharacters() {
    assertThat(
            read("{\"actor\":\"dave\",\"reason\":\"line one\\nline two\\tend\"}", Halt.class)
                .problems())
        .isEmpty();
    assertThat(read("{\"actor\":\"bob\\u200b\",\"reason\":\"x\"}", Halt.class).problems())
        .containsExactly("actor must not contain control or invisible characters");
  }

  @Test
  void everySignalAndTheUpdate_listTheirProblems() {
    assertThat(read("{\"gate\":\"PROCEDE\",\"approver\":\"bob\"}", Approval.class).problems())
        .containsExactly("gate must be one of PROCEED, REVOKE (any case), not \"PROCEDE\"");
    assertThat(
            read("{\"gate\":\"revoke\",\"approver\":\"bob\",\"comment\":\"ok\"}", Approval.class))
        .isEqualTo(new Approval(GateName.REVOKE, "bob", "ok"));
    assertThat(
            read("{\"gate\":\"PROCEED\",\"approver\":\"bob\",\"why\":\"no\"}", Rejection.class)
                .problems())
        .singleElement()
        .asString()
        .startsWith("unknown field \"why\"");
    assertThat(read("{\"actor\":\"dave\",\"action\":\"GO\"}", Resume.class).problems())
        .singleElement()
        .asString()
        .startsWith("action must be one of CONTINUE, ");
    assertThat(read("{\"actor\":\"dave\",\"action\":\"continue\"}", Resume.class).action())
        .isEqualTo(ResumeAction.CONTINUE);
    assertThat(
            read("{\"deployment\":\"backend\",\"operator\":\"olivia\"}", RestartConfirmation.class)
                .problems())
        .containsExactly("ready is required: true or false");
    assertThat(
            read(
                    "{\"deployment\":\"backend\",\"operator\":\"olivia\",\"ready\":\"yes\"}",
                    RestartConfirmation.class)
                .problems())
        .containsExactly("ready must be true or false, not \"yes\"");
    assertThat(
            read(
                    "{\"gate\":\"PROCEED\",\"verdict\":\"MAYBE\",\"actor\":\"carol\"}",
                    GateDecision.class)
                .problems())
        .containsExactly("verdict must be one of APPROVE, REJECT (any case), not \"MAYBE\"");
    assertThat(
            read(
                "{\"gate\":\"PROCEED\",\"verdict\":\"approve\",\"actor\":\"carol\"}",
                GateDecision.class))
        .isEqualTo(new GateDecision(GateName.PROCEED, Verdict.APPROVE, "carol", null));
  }

  @Test
  void inputThatIsNotAnObject_orNotJsonAtAll_isAProblemNotAnException() {
    assertThat(read("[\"PROCEED\"]", Approval.class).problems())
        .containsExactly(
            "the input must be a JSON object with the fields gate, approver, comment, proof, overridePreflight");
    assertThat(read("{\"gate\": \"PROCEED\", \"approver\":", Approval.class).problems())
        .singleElement()
        .asString()
        .startsWith("the input is not readable JSON: ");
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    assertThat(read("{\"actor\":\"dave\",\"reason\":" + deep + "}", Halt.class).problems())
        .singleElement()
        .asString()
        .startsWith("the input is not readable JSON: ");
    assertThat(read("null", Halt.class)).isNull();
  }

  @Test
  void negativeControl_temporalsPlainJsonConverter_throwsOnInputThatIsNotJson() {
    JacksonJsonPayloadConverter plain =
        new JacksonJsonPayloadConverter(BreakglassDataConverter.objectMapper());

    assertThatThrownBy(
            () ->
                plain.fromData(
                    payload("{\"gate\": \"PROCEED\", \"approver\":"),
                    Approval.class,
                    Approval.class))
        .isInstanceOf(DataConverterException.class);
  }

  private <T> T read(String json, Class<T> type) {
    return converter.fromPayloads(
        0, Optional.of(Payloads.newBuilder().addPayloads(payload(json)).build()), type, type);
  }

  private String json(Object value) {
    return converter.toPayload(value).orElseThrow().getData().toStringUtf8();
  }

  private static Payload payload(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }
}
