package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;

/**
 * The durable record of rotations outside Temporal: the rotation list, the incident timeline and
 * the next routine rotation, in PostgreSQL. Every write is an upsert keyed by rotation id (and
 * timeline position), so retries are harmless.
 */
@ActivityInterface
public interface AuditActivities {

  /** Records that a rotation started (or updates its row on retry). */
  void recordStart(RotationRecord rotation);

  /** Upserts timeline entries by position. */
  void recordTimeline(TimelineBatch batch);

  /**
   * CLOSE: records the outcome, the approvers and the validation results, and the date each rotated
   * secret is next due for routine rotation.
   */
  void recordClose(RotationClose close);

  /**
   * @param rotationId the rotation
   * @param workflowId its workflow id
   * @param kind emergency or routine
   * @param initiator who started it
   * @param reason why
   * @param secrets what it rotates
   * @param startedAt workflow start time
   */
  record RotationRecord(
      String rotationId,
      String workflowId,
      RotationKind kind,
      String initiator,
      String reason,
      List<String> secrets,
      Instant startedAt) {}

  /**
   * @param rotationId the rotation
   * @param entries entries to upsert (by their {@code seq})
   */
  record TimelineBatch(String rotationId, List<TimelineEntry> entries) {}

  /**
   * @param rotationId the rotation
   * @param state how it ended
   * @param endedAt when
   * @param versions versions it made
   * @param approvers everyone who approved a gate
   * @param validations one line per validation result
   * @param itemsReencrypted items rewritten
   * @param nextRotationDue when the rotated secrets are next due, or null if it did not complete
   * @param failure failure type and message, or null
   */
  record RotationClose(
      String rotationId,
      RotationState state,
      Instant endedAt,
      List<NewVersion> versions,
      List<String> approvers,
      List<String> validations,
      long itemsReencrypted,
      Instant nextRotationDue,
      String failure) {}
}
