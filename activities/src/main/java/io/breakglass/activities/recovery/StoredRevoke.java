package io.breakglass.activities.recovery;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.audit.RotationRow;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the audit store says about a rotation's REVOKE of one secret: for the way back, which the
 * API checks before it starts one and the workflow's activity checks again. Which version was
 * revoked is the secret store's to say.
 *
 * @param rotationId the rotation
 * @param secret the secret it rotated
 * @param kind emergency or routine; null when its start was not recorded
 * @param revokedAt when its REVOKE phase began (workflow time): the window counts from here
 * @param revokeGateApprovers how many people approved its REVOKE gate
 * @param lastSeq the last position of its stored timeline
 */
public record StoredRevoke(
    String rotationId,
    String secret,
    RotationKind kind,
    Instant revokedAt,
    int revokeGateApprovers,
    int lastSeq) {

  /**
   * Reads the record and timeline of {@code rotationId}. The rotation must have COMPLETED, with its
   * CLOSE ended in the stored timeline (so it writes no more entries), and must have rotated {@code
   * secret}.
   *
   * @throws RecoveryRefusal naming what is missing
   * @throws org.jdbi.v3.core.JdbiException when the audit store cannot be read
   */
  public static StoredRevoke read(RotationHistory history, String rotationId, String secret) {
    RotationRow row =
        history
            .find(rotationId)
            .orElseThrow(() -> new RecoveryRefusal("no rotation " + rotationId + " is recorded"));
    if (row.state() != RotationState.COMPLETED) {
      throw new RecoveryRefusal(
          "rotation "
              + rotationId
              + " is "
              + row.state()
              + "; only a completed rotation revoked a version");
    }
    if (!row.secrets().contains(secret)) {
      throw new RecoveryRefusal(
          "rotation " + rotationId + " rotated " + row.secrets() + ", not " + secret);
    }
    List<TimelineEntry> timeline = history.timeline(rotationId);
    TimelineEntry close =
        ownEntry(timeline, Phase.CLOSE, Integer.MAX_VALUE)
            .filter(e -> e.outcome() == TimelineOutcome.SUCCEEDED)
            .orElseThrow(
                () ->
                    new RecoveryRefusal(
                        "rotation " + rotationId + " has not finished closing; try again shortly"));
    TimelineEntry revoke =
        ownEntry(timeline, Phase.REVOKE, close.seq())
            .orElseThrow(
                () -> new RecoveryRefusal("no REVOKE is recorded for rotation " + rotationId));
    // Its REVOKE gate closed at the last required approval: the approvers are that number.
    int approvers =
        (int)
            timeline.stream()
                .filter(e -> e.seq() < close.seq())
                .filter(
                    e -> e.phase() == Phase.GATE_REVOKE && e.outcome() == TimelineOutcome.APPROVED)
                .map(TimelineEntry::actor)
                .filter(actor -> actor != null && !actor.equals(TimelineEntry.SYSTEM_ACTOR))
                .distinct()
                .count();
    int lastSeq = timeline.stream().mapToInt(TimelineEntry::seq).max().orElse(0);
    return new StoredRevoke(rotationId, secret, row.kind(), revoke.startedAt(), approvers, lastSeq);
  }

  /** The first entry of {@code phase} the rotation itself made, before position {@code before}. */
  private static Optional<TimelineEntry> ownEntry(
      List<TimelineEntry> timeline, Phase phase, int before) {
    return timeline.stream()
        .filter(e -> e.seq() < before)
        .filter(e -> e.phase() == phase && TimelineEntry.SYSTEM_ACTOR.equals(e.actor()))
        .findFirst();
  }
}
