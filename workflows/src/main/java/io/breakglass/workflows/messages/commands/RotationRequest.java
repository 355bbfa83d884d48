package io.breakglass.workflows.messages.commands;

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
 * @param rotationId business id: lower-case letters, digits and dashes, up to 64; the workflow id
 *     is {@code rotation-<rotationId>} and version tokens derive from it
 * @param secrets runbook names of the secrets to rotate
 * @param kind emergency or routine
 * @param initiator who starts the rotation; never counts as an approver
 * @param reason why, for the timeline and the notifications
 * @param requiredApprovals approvers per gate; null takes the configured default for the kind, and
 *     a value below the configured minimum is refused
 * @param gateTimeout how long each gate waits (ISO-8601, e.g. {@code PT4H}); null takes the default
 */
public record RotationRequest(
    String rotationId,
    List<String> secrets,
    RotationKind kind,
    String initiator,
    String reason,
    Integer requiredApprovals,
    Duration gateTimeout) {}
