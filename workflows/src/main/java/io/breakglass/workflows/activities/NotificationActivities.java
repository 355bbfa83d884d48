package io.breakglass.workflows.activities;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** NOTIFY: tells people what a rotation does (webhooks and the log). */
@ActivityInterface
public interface NotificationActivities {

  /**
   * Delivers {@code notice} to every channel configured for its audiences, once per call: the
   * activity's retry policy decides how often a failed delivery is tried again. Each notice carries
   * a stable id ({@code rotationId} + {@code event}) that receivers use to drop duplicates, so
   * retries are harmless.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOTIFICATION_FAILED} (retryable) when a
   *     channel did not answer or answered 408, 429 or 5xx; {@code NOTIFICATION_REFUSED}
   *     (non-retryable) when every channel that failed refused it with another answer
   */
  void notify(Notice notice);

  /** Who a notice is for; each maps to channels in configuration. */
  enum Audience {
    ON_CALL,
    SECURITY_OFFICER,
    CUSTOMER_SUCCESS,
    ESCALATION
  }

  /** How urgent a notice is. */
  enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  /**
   * @param rotationId the rotation
   * @param event a short stable name, unique within the rotation, e.g. {@code started}
   * @param audiences who must hear it
   * @param severity how urgent
   * @param summary one paragraph: ids and counts, never secret material
   */
  record Notice(
      String rotationId,
      String event,
      List<Audience> audiences,
      Severity severity,
      String summary) {}
}
