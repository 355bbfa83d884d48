package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The questions a rotation puts to a human, one at a time: a halt, a data failure, a compensation
 * that keeps failing. Each waits for a {@code resume} whose action the question allows; several
 * workflow threads may wait on the same question.
 */
final class HumanDecisions {

  private int lastId;
  private int openId;
  private PendingDecision open;
  private final Map<Integer, Resume> answers = new HashMap<>();

  /** Opens a question once no other is open; returns its id. */
  int open(PendingDecision question) {
    Workflow.await(() -> open == null);
    openId = ++lastId;
    open = question;
    return openId;
  }

  /**
   * Waits for the answer to question {@code id}, calling {@code remind} every {@code interval}
   * while nobody answers (pass a null remind for no reminders).
   */
  Resume await(int id, Duration interval, Runnable remind) {
    while (!Workflow.await(interval, () -> answers.containsKey(id))) {
      if (remind != null) {
        remind.run();
      }
    }
    return answers.get(id);
  }

  /** Takes a resume signal: answers the open question, or says why it cannot. */
  Optional<String> offer(Resume resume) {
    if (open == null) {
      return Optional.of("the rotation is not waiting for a decision");
    }
    if (resume.actor() == null || resume.actor().isBlank()) {
      return Optional.of("a decision needs the name of who decides");
    }
    if (resume.action() == null || !open.allowed().contains(resume.action())) {
      return Optional.of(
          "action " + resume.action() + " does not apply now; allowed: " + open.allowed());
    }
    if (resume.action() == ResumeAction.CONFIRM_REVOKED
        && KeyValues.looksLikeOne(resume.comment())) {
      return Optional.of("a confirmation names the key id (key_...), never the key itself");
    }
    answers.put(openId, resume);
    open = null;
    return Optional.empty();
  }

  /** The id of the open question, or 0. */
  int openId() {
    return open == null ? 0 : openId;
  }

  /** The open question, or null. */
  PendingDecision pending() {
    return open;
  }
}
