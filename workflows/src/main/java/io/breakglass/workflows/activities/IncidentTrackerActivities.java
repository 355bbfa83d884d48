package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;

/**
 * The incident tracker a team files its incidents and tickets in, reached through a webhook. Does
 * nothing when no tracker is configured.
 */
@ActivityInterface
public interface IncidentTrackerActivities {

  /**
   * Files the incident of a rotation that ended, and, when it completed, the ticket for the next
   * routine rotation. Each carries a stable idempotency key ({@code <rotationId>/incident-<state>},
   * {@code <rotationId>/next-rotation-ticket}) that the tracker uses to drop the duplicates retries
   * produce.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOTIFICATION_FAILED} (retryable) when the
   *     tracker does not accept them
   */
  void fileIncident(Incident incident);

  /**
   * One rotation as an incident: ids, dates, counts and decisions, never key material.
   *
   * @param rotationId the rotation
   * @param kind emergency or routine
   * @param initiator who started it
   * @param reason why
   * @param state how it ended
   * @param startedAt when it started
   * @param endedAt when it ended
   * @param secrets the secrets it rotated
   * @param versions one line per version: secret, new version id, the version it replaced
   * @param approvers everyone who approved a gate
   * @param validations one line per validation result
   * @param followUps what people still have to do
   * @param failure the failure type and message, or null
   * @param nextRotation the ticket for the next routine rotation, or null when it did not complete
   */
  record Incident(
      String rotationId,
      RotationKind kind,
      String initiator,
      String reason,
      RotationState state,
      Instant startedAt,
      Instant endedAt,
      List<String> secrets,
      List<String> versions,
      List<String> approvers,
      List<String> validations,
      List<String> followUps,
      String failure,
      NextRotationTicket nextRotation) {}

  /**
   * The ticket for the next routine rotation of the secrets a rotation completed.
   *
   * @param dueAt when they are due
   * @param secrets the secrets
   * @param tasks what the ticket asks for
   */
  record NextRotationTicket(Instant dueAt, List<String> secrets, List<String> tasks) {}
}
