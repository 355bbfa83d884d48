package io.breakglass.api.core;

import io.breakglass.api.wire.RotationDetail;
import io.breakglass.api.wire.RotationRecord;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The incident report of one rotation: who started it and why, who approved each gate, what every
 * check found, how many items moved, and the whole timeline. Built from the workflow's status when
 * Temporal still knows the rotation, else from the audit store alone. Ids and counts only.
 *
 * @param rotationId the rotation
 * @param kind emergency or routine
 * @param initiator who started it
 * @param initiatorVerification how the workflow verified the initiator ({@code verified: oidc …},
 *     {@code verified: ed25519 …} or {@code unverified (…)}), or null when not known
 * @param reason why
 * @param secrets the secrets rotated
 * @param state how it stands or ended
 * @param startedAt when it started, if recorded
 * @param endedAt when it ended, or null
 * @param approvers everyone who approved a gate, in order
 * @param gates each gate with its approvals
 * @param checks backup, verification, smoke and metric results, one line each
 * @param items re-encryption per data set
 * @param itemsReencrypted items rewritten in all
 * @param versions the versions created
 * @param compensations the compensations and how they stand
 * @param failure the failure type and message, or null
 * @param timeline the incident timeline
 */
public record IncidentReport(
    String rotationId,
    String kind,
    String initiator,
    String initiatorVerification,
    String reason,
    List<String> secrets,
    String state,
    Instant startedAt,
    Instant endedAt,
    List<String> approvers,
    List<GateView> gates,
    List<String> checks,
    List<DataSetProgress> items,
    Long itemsReencrypted,
    List<NewVersion> versions,
    List<CompensationView> compensations,
    String failure,
    List<TimelineEntry> timeline) {

  private static final Set<Phase> CHECK_PHASES =
      Set.of(Phase.BACKUP, Phase.VERIFY_DATA, Phase.SMOKE_TEST, Phase.METRIC_WATCH);

  /**
   * {@code timeline} and the stored entries after its last position: what was recorded after the
   * rotation ended (an un-revoke's steps) is not in the workflow's status.
   */
  private static List<TimelineEntry> withLaterStoredEntries(
      List<TimelineEntry> timeline, List<TimelineEntry> stored) {
    int last = timeline.stream().mapToInt(TimelineEntry::seq).max().orElse(0);
    List<TimelineEntry> later = stored.stream().filter(e -> e.seq() > last).toList();
    if (later.isEmpty()) {
      return timeline;
    }
    List<TimelineEntry> merged = new ArrayList<>(timeline);
    merged.addAll(later);
    return merged;
  }

  /** The report of {@code detail}: the live status first, the stored record for the rest. */
  public static IncidentReport of(RotationDetail detail) {
    RotationRecord row = detail.record();
    RotationStatus status = detail.status();
    List<TimelineEntry> timeline =
        status != null && !status.timeline().isEmpty()
            ? status.timeline()
            : detail.storedTimeline();
    timeline = withLaterStoredEntries(timeline, detail.storedTimeline());
    List<GateView> gates = status == null ? List.of() : status.gates();
    Set<String> approvers = new LinkedHashSet<>();
    gates.forEach(g -> g.approvals().stream().map(ApprovalView::approver).forEach(approvers::add));
    if (row != null) {
      approvers.addAll(row.approvers());
    }
    List<String> checks = new ArrayList<>();
    for (TimelineEntry entry : timeline) {
      if (CHECK_PHASES.contains(entry.phase()) && entry.endedAt() != null) {
        checks.add(
            entry.phase()
                + " "
                + entry.outcome()
                + (entry.detail() == null ? "" : ": " + entry.detail()));
      }
    }
    if (row != null) {
      row.validations().stream().filter(v -> !checks.contains(v)).forEach(checks::add);
    }
    List<DataSetProgress> items = status == null ? List.of() : status.progress();
    Long reencrypted =
        row != null && row.itemsReencrypted() != null
            ? row.itemsReencrypted()
            : items.isEmpty()
                ? null
                : items.stream().mapToLong(DataSetProgress::itemsReencrypted).sum();
    return new IncidentReport(
        status != null ? status.rotationId() : row.rotationId(),
        status != null && status.kind() != null
            ? status.kind().name()
            : row == null || row.kind() == null ? null : row.kind().name(),
        status != null ? status.initiator() : row.initiator(),
        status == null ? null : status.initiatorVerification(),
        row == null ? null : row.reason(),
        status != null ? status.secrets() : row.secrets(),
        status != null && status.state() != null ? status.state().name() : row.state().name(),
        row == null ? null : row.startedAt(),
        row == null ? null : row.endedAt(),
        List.copyOf(approvers),
        gates,
        checks,
        items,
        reencrypted,
        status == null ? List.of() : status.versions(),
        status == null ? List.of() : status.compensations(),
        status != null && status.failure() != null
            ? status.failure()
            : row == null ? null : row.failure(),
        timeline);
  }
}
