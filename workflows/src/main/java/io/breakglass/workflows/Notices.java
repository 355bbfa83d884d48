package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Notice;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.TemporalFailure;
import java.util.List;

/** Tells people what the rotation does. A notice never stops a rotation. */
final class Notices {

  private final RotationContext rotation;

  Notices(RotationContext rotation) {
    this.rotation = rotation;
  }

  /**
   * Sends a notice; one that is not delivered becomes a timeline entry and the rotation goes on.
   */
  void send(String event, List<Audience> audiences, Severity severity, String summary) {
    try {
      rotation.activities.notifications.notify(
          new Notice(rotation.rotationId(), event, audiences, severity, summary));
    } catch (TemporalFailure undelivered) {
      rotation.event(
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "notice " + event + " not delivered: " + Failures.describe(undelivered));
    }
  }
}
