package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the rotation turns to a human: operator halts, and failures that need a decision. Each
 * question is escalated, re-escalated every escalation interval, and answered by a {@code resume}.
 */
final class Escalations {

  private final RotationContext rotation;
  private final Notices notices;
  private final HumanDecisions decisions = new HumanDecisions();
  private Halt halt;
  private int haltQuestion;
  private int asked;

  Escalations(RotationContext rotation, Notices notices) {
    this.rotation = rotation;
    this.notices = notices;
  }

  /** Escalates and waits for a {@code resume}; reminds the escalation contacts while it waits. */
  Resume ask(String reason, List<ResumeAction> allowed, List<String> items, String event) {
    String id = event + "-" + ++asked;
    String summary =
        "rotation "
            + rotation.rotationId()
            + " needs a decision ("
            + allowed
            + "): "
            + reason
            + (items.isEmpty() ? "" : "; items: " + items);
    rotation.event(TimelineOutcome.ESCALATED, SYSTEM_ACTOR, reason);
    notices.send(id, List.of(Audience.ESCALATION, Audience.ON_CALL), Severity.CRITICAL, summary);
    rotation.saveTimeline();
    int question =
        decisions.open(
            new PendingDecision(
                reason, allowed, RotationContext.now(), items, consequences(allowed)));
    int[] reminders = {0};
    return decisions.await(
        question,
        rotation.escalationInterval(),
        () ->
            notices.send(
                id + "-reminder-" + ++reminders[0],
                List.of(Audience.ESCALATION),
                Severity.CRITICAL,
                "still waiting: " + summary));
  }

  /** Blocks while a halt is in force; throws when the operator chooses to roll back instead. */
  void awaitNotHalted() {
    while (halt != null) {
      if (haltQuestion == 0) {
        List<ResumeAction> allowed =
            rotation.compensating
                ? List.of(ResumeAction.CONTINUE)
                : List.of(ResumeAction.CONTINUE, ResumeAction.ROLLBACK);
        haltQuestion =
            decisions.open(
                new PendingDecision(
                    "halted by " + halt.actor() + ": " + halt.reason(),
                    allowed,
                    RotationContext.now(),
                    List.of(),
                    consequences(allowed)));
      }
      int question = haltQuestion;
      Resume answer = decisions.await(question, rotation.escalationInterval(), null);
      if (haltQuestion == question) {
        haltQuestion = 0;
        halt = null;
      }
      if (answer.action() == ResumeAction.ROLLBACK) {
        throw RotationErrors.ROLLED_BACK_BY_OPERATOR.failure(
            "rolled back by " + answer.actor() + " while halted: " + answer.comment());
      }
    }
  }

  /** Signal {@code halt}. */
  void halt(Halt request, boolean ended) {
    String actor = request.actor();
    if (actor == null || actor.isBlank()) {
      rotation.refuse("halt", actor, "a halt needs the name of who halts");
    } else if (ended) {
      rotation.refuse("halt", actor, "the rotation has ended");
    } else if (halt != null) {
      rotation.refuse("halt", actor, "already halted by " + halt.actor());
    } else {
      halt = request;
      rotation.event(TimelineOutcome.HALTED, actor, request.reason());
    }
  }

  /** Signal {@code resume}. */
  void resume(Resume resume) {
    decisions
        .offer(resume)
        .ifPresentOrElse(
            reason -> rotation.refuse("resume", resume.actor(), reason),
            () ->
                rotation.event(
                    TimelineOutcome.RESUMED,
                    resume.actor(),
                    resume.action() + (resume.comment() == null ? "" : ": " + resume.comment())));
  }

  /**
   * What the rollback actions among {@code allowed} would do now, named before anyone picks one.
   */
  private Map<ResumeAction, String> consequences(List<ResumeAction> allowed) {
    Map<ResumeAction, String> consequences = new EnumMap<>(ResumeAction.class);
    if (allowed.contains(ResumeAction.ROLLBACK)) {
      consequences.put(ResumeAction.ROLLBACK, rotation.rollbackConsequence());
    }
    if (allowed.contains(ResumeAction.RESTORE_AND_ROLLBACK)) {
      consequences.put(
          ResumeAction.RESTORE_AND_ROLLBACK,
          "the listed items are restored from the backup, then " + rotation.rollbackConsequence());
    }
    return consequences;
  }

  PendingDecision pending() {
    return decisions.pending();
  }

  /** HALTED or AWAITING_DECISION while someone must act, HALTED while a halt waits to apply. */
  Optional<RotationState> state() {
    if (decisions.pending() != null) {
      return Optional.of(
          haltQuestion != 0 && decisions.openId() == haltQuestion
              ? RotationState.HALTED
              : RotationState.AWAITING_DECISION);
    }
    return Optional.empty();
  }

  boolean haltRequested() {
    return halt != null;
  }
}
