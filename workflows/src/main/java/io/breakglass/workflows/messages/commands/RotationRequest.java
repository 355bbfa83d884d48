package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.workflows.messages.values.RotationKind;
import java.time.Duration;
import java.util.List;

/**
 * Starts a rotation: the one input of {@code RotationWorkflow}. JSON-friendly so it can be pasted
 * into the Temporal UI, for example:
 *
 * <pre>{@code
 * {"rotationId": "2026-11-28-artifact-key", "secrets": ["artifact-encryption-key"],
 *  "kind": "EMERGENCY", "initiator": "alice", "reason": "key seen in a support ticket"}
 * }</pre>
 *
 * <p>A request that cannot be read (an unknown field, a wrong JSON type, an unknown kind, a
 * duration that is not ISO-8601) still reaches the workflow, which fails at once with {@code
 * INVALID_REQUEST} naming the field.
 *
 * @param rotationId business id: lower-case letters, digits and dashes, up to 64; the workflow id
 *     is {@code rotation-<rotationId>} and version tokens derive from it
 * @param secrets runbook names of the secrets to rotate
 * @param kind emergency or routine
 * @param initiator who starts the rotation; never counts as an approver
 * @param reason why, for the timeline and the notifications
 * @param requiredApprovals approvers per gate; null takes the configured default for the kind, and
 *     a value below the configured minimum is refused
 * @param gateTimeout how long each gate waits (ISO-8601, e.g. {@code PT4H}); null takes the default
 * @param initiatorProof who starts it, proven: an identity provider's token or a signed statement
 *     bound to this rotation's START (see {@code ProofBinding}); null when unsigned
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record RotationRequest(
    String rotationId,
    List<String> secrets,
    RotationKind kind,
    String initiator,
    String reason,
    Integer requiredApprovals,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration gateTimeout,
    String initiatorProof,
    @JsonIgnore List<String> problems)
    implements Command {

  public RotationRequest {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public RotationRequest(
      String rotationId,
      List<String> secrets,
      RotationKind kind,
      String initiator,
      String reason,
      Integer requiredApprovals,
      Duration gateTimeout) {
    this(
        rotationId,
        secrets,
        kind,
        initiator,
        reason,
        requiredApprovals,
        gateTimeout,
        null,
        List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static RotationRequest fromJson(JsonNode json) {
    CommandJson in =
        CommandJson.read(
            json,
            "rotationId",
            "secrets",
            "kind",
            "initiator",
            "reason",
            "requiredApprovals",
            "gateTimeout",
            "initiatorProof");
    return new RotationRequest(
        in.name("rotationId"),
        in.names("secrets"),
        in.choice("kind", RotationKind.class),
        in.name("initiator"),
        in.text("reason"),
        in.whole("requiredApprovals"),
        in.duration("gateTimeout"),
        in.proof("initiatorProof"),
        in.problems());
  }
}
