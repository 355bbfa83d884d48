package io.breakglass.workflows;

import io.breakglass.workflows.activities.AuditActivities.TimelineBatch;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.PreflightView;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What the parts of one rotation share: the request, the plan once made, the phase it is in, the
 * versions and backups it made, its progress, validations and timeline. Workflow state only.
 */
final class RotationContext {

  private static final Logger log = ContextLogger.of(RotationContext.class);

  /** How long a wait re-checks when no escalation interval is known yet. */
  private static final Duration DEFAULT_ESCALATION_INTERVAL = Duration.ofHours(1);

  final RotationRequest request;
  final RotationActivities activities = new RotationActivities();
  final Timeline timeline = new Timeline();
  final List<Refusal> refusals = new ArrayList<>();
  final List<NewVersion> versions = new ArrayList<>();
  final Map<String, BackupRecord> backups = new LinkedHashMap<>();
  final ReencryptionProgress progress = new ReencryptionProgress();
  final List<String> validations = new ArrayList<>();

  /** What a human accepted instead of fixing; each becomes a follow-up action. */
  final List<String> accepted = new ArrayList<>();

  final Proofs proofs = new Proofs(this);

  RotationPlan plan;

  /** The pre-flight before the proceed gate; null before it ran or in older histories. */
  PreflightView preflight;

  /** Who started it, as PLAN verified; null before. */
  Identity initiator;

  Phase phase = Phase.PLAN;
  boolean compensating;

  /**
   * Set once the first new version may be CURRENT (PROMOTE asked for it): from then on a rollback
   * puts the old one back.
   */
  private boolean newVersionCurrent;

  RotationContext(RotationRequest request) {
    this.request = request;
  }

  String rotationId() {
    return request.rotationId();
  }

  /** Records an event in the current phase. */
  void event(TimelineOutcome outcome, String actor, String detail) {
    timeline.event(phase, outcome, actor, detail);
  }

  /** Records a signal the workflow refused (signals cannot answer, so the status shows it). */
  void refuse(String signal, String actor, String reason) {
    String who = actor == null || actor.isBlank() ? "(anonymous)" : actor;
    refusals.add(new Refusal(now(), signal, who, reason));
    event(TimelineOutcome.REFUSED, who, signal + " refused: " + reason);
  }

  /** Sends the timeline entries not yet saved; a failure keeps them for the next attempt. */
  void saveTimeline() {
    List<TimelineEntry> batch = timeline.unsaved();
    if (batch.isEmpty()) {
      return;
    }
    try {
      activities.audit.recordTimeline(new TimelineBatch(rotationId(), batch));
      timeline.markSaved(batch);
    } catch (TemporalFailure notSaved) {
      log.warn("timeline of {} not saved yet: {}", rotationId(), Failures.describe(notSaved));
    }
  }

  /** Records that PROMOTE is making a new version CURRENT. */
  void newVersionIsCurrent() {
    newVersionCurrent = true;
  }

  /**
   * True when rolling back now would make a version suspected compromised primary again: an
   * EMERGENCY rotation after PROMOTE. Such a rollback never happens without a human choosing it.
   */
  boolean rollbackRestoresSuspectedKey() {
    return newVersionCurrent && request.kind() == RotationKind.EMERGENCY;
  }

  /** What a ROLLBACK chosen now does, in words an operator weighs before choosing it. */
  String rollbackConsequence() {
    if (!newVersionCurrent) {
      return "ROLLBACK: the new versions are discarded; the old versions never stopped being CURRENT";
    }
    String old =
        versions.stream()
            .map(v -> v.secret() + " " + v.replacedVersionId())
            .reduce((a, b) -> a + ", " + b)
            .orElse("the old versions");
    return (request.kind() == RotationKind.EMERGENCY
            ? "ROLLBACK onto a version suspected compromised: "
            : "ROLLBACK: ")
        + old
        + " become CURRENT and primary again and every item moved to the new versions is"
        + " re-encrypted back under them";
  }

  Duration escalationInterval() {
    return plan == null ? DEFAULT_ESCALATION_INTERVAL : plan.policy().escalationInterval();
  }

  NewVersion versionOf(String secret) {
    return versions.stream()
        .filter(v -> v.secret().equals(secret))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no new version of " + secret));
  }

  static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
