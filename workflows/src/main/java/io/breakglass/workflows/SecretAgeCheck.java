package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.SecretAgeActivities.SecretAge;
import io.breakglass.workflows.activities.SecretAgeActivities.SecretAgeRequest;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The runbook's {@code SECRET_MAX_AGE} after a rotation: each rotated secret's CURRENT version is
 * the rotation's new one, and its age (what {@code breakglass_secret_age_seconds} exports) was
 * reset: it is no older than the time since CREATE_VERSION began, give or take the clock skew
 * between workflow time and the worker. Past REVOKE nothing rolls back, so an age that did not
 * reset waits for a human, who checks again or accepts the finding, which is recorded.
 */
final class SecretAgeCheck {

  /** How far the worker's clock and workflow time may disagree. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final RotationContext rotation;
  private final Escalations escalations;

  SecretAgeCheck(RotationContext rotation, Escalations escalations) {
    this.rotation = rotation;
    this.escalations = escalations;
  }

  /** Checks every new version; {@code createStarted} is when CREATE_VERSION began. */
  void check(List<NewVersion> versions, Instant createStarted) {
    for (NewVersion version : versions) {
      while (!reset(version, createStarted)) {
        Resume answer =
            escalations.ask(
                "the age of "
                    + version.secret()
                    + " did not reset after the rotation; RETRY checks"
                    + " again, ACCEPT completes the rotation with the finding recorded",
                List.of(ResumeAction.RETRY, ResumeAction.ACCEPT),
                List.of(),
                "secret-age-not-reset");
        if (answer.action() == ResumeAction.ACCEPT) {
          String accepted =
              "age of "
                  + version.secret()
                  + " not reset: accepted by "
                  + answer.actor()
                  + (answer.comment() == null ? "" : ": " + answer.comment());
          rotation.event(TimelineOutcome.APPROVED, answer.actor(), accepted);
          rotation.validations.add("secret " + accepted);
          break;
        }
      }
    }
    rotation.saveTimeline();
  }

  private boolean reset(NewVersion version, Instant createStarted) {
    SecretAge age;
    try {
      age =
          rotation.activities.secretAges.secretAge(
              new SecretAgeRequest(rotation.rotationId(), version.secret()));
    } catch (ActivityFailure failed) {
      if (failed.getCause() instanceof CanceledFailure
          || CancellationScope.current().isCancelRequested()) {
        throw failed;
      }
      rotation.event(
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "age of " + version.secret() + " could not be read: " + Failures.describe(failed));
      return false;
    }
    long bound =
        Duration.between(createStarted, RotationContext.now()).plus(CLOCK_SKEW).toSeconds();
    boolean current = version.versionId().equals(age.versionId());
    boolean reset =
        current && age.ageSeconds() >= -CLOCK_SKEW.toSeconds() && age.ageSeconds() <= bound;
    String detail =
        "age of "
            + version.secret()
            + " "
            + (reset ? "reset" : "NOT reset")
            + ": "
            + age.ageSeconds()
            + " s (CURRENT "
            + age.versionId()
            + (current ? "" : ", not this rotation's " + version.versionId())
            + ", rotatedAt "
            + age.rotatedAt()
            + "; at most "
            + bound
            + " s after this rotation; max age "
            + age.maxAgeSeconds()
            + " s)";
    rotation.event(
        reset ? TimelineOutcome.SUCCEEDED : TimelineOutcome.FAILED, SYSTEM_ACTOR, detail);
    rotation.validations.add("secret " + detail);
    return reset;
  }
}
