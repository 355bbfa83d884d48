package io.breakglass.activities.audit;

import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import java.time.Instant;
import java.util.List;

/**
 * One rotation as the audit store holds it. Fields the rotation never reported are null (a rotation
 * whose start could not be recorded has only its outcome).
 *
 * @param rotationId the rotation
 * @param workflowId its workflow id
 * @param kind emergency or routine
 * @param initiator who started it
 * @param reason why
 * @param secrets what it rotates
 * @param state RUNNING until it closes, then how it ended
 * @param startedAt workflow start time
 * @param endedAt when it closed, or null while it runs
 * @param approvers everyone who approved a gate
 * @param validations one line per validation result
 * @param itemsReencrypted items rewritten, or null while it runs
 * @param nextRotationDue when the rotated secrets are next due, or null if it did not complete
 * @param failure failure type and message, or null
 */
public record RotationRow(
    String rotationId,
    String workflowId,
    RotationKind kind,
    String initiator,
    String reason,
    List<String> secrets,
    RotationState state,
    Instant startedAt,
    Instant endedAt,
    List<String> approvers,
    List<String> validations,
    Long itemsReencrypted,
    Instant nextRotationDue,
    String failure) {}
