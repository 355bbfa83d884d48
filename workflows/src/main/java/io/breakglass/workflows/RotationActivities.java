package io.breakglass.workflows;

import io.breakglass.workflows.activities.ApprovalActivities;
import io.breakglass.workflows.activities.AuditActivities;
import io.breakglass.workflows.activities.BackupActivities;
import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.activities.IncidentTrackerActivities;
import io.breakglass.workflows.activities.MetricWatchActivities;
import io.breakglass.workflows.activities.NotificationActivities;
import io.breakglass.workflows.activities.PlanActivities;
import io.breakglass.workflows.activities.ProviderKeyActivities;
import io.breakglass.workflows.activities.RecoveryActivities;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.activities.SecretAgeActivities;
import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.VerificationActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The activity stubs a rotation uses, with timeouts and retries chosen per kind of work. Short
 * calls retry a bounded number of times so that a stuck dependency surfaces as a failure (and a
 * rollback or a human decision) instead of a silent wait.
 */
final class RotationActivities {

  private static final RetryOptions BOUNDED =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(8)
          .build();

  private static final RetryOptions PATIENT =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(20)
          .build();

  /**
   * Notices: each activity attempt delivers once, so these attempts bound how often a receiver that
   * keeps failing gets the same notice (a refusal ends them at once).
   */
  private static final RetryOptions NOTICES =
      RetryOptions.newBuilder(BOUNDED).setMaximumAttempts(5).build();

  final PlanActivities plan = Workflow.newActivityStub(PlanActivities.class, quick());
  final NotificationActivities notifications =
      Workflow.newActivityStub(
          NotificationActivities.class,
          ActivityOptions.newBuilder(quick()).setRetryOptions(NOTICES).build());

  /** The incident tracker; like a notice, an outage never holds a rotation for long. */
  final IncidentTrackerActivities tracker =
      Workflow.newActivityStub(
          IncidentTrackerActivities.class,
          ActivityOptions.newBuilder(quick())
              .setRetryOptions(RetryOptions.newBuilder(BOUNDED).setMaximumAttempts(5).build())
              .build());

  final SecretActivities secrets =
      Workflow.newActivityStub(SecretActivities.class, waitingForCancellation(quick()));
  final DeploymentActivities deployments =
      Workflow.newActivityStub(
          DeploymentActivities.class, waitingForCancellation(longRunning(Duration.ofMinutes(30))));
  final AuditActivities audit = Workflow.newActivityStub(AuditActivities.class, quick());
  final SecretLockActivities locks = locks();
  final BackupActivities backups =
      Workflow.newActivityStub(BackupActivities.class, longRunning(Duration.ofHours(4)));

  /** Measurements answer within their query timeout; missing data is a result, not a failure. */
  final MetricWatchActivities metrics =
      Workflow.newActivityStub(MetricWatchActivities.class, quick());

  final VerificationActivities verification =
      Workflow.newActivityStub(VerificationActivities.class, longRunning(Duration.ofHours(4)));

  /** The identity provider's keys, for the proofs of who starts and decides. */
  final ApprovalActivities approvals = Workflow.newActivityStub(ApprovalActivities.class, quick());

  /** The Temporal Schedule that keeps each secret's next routine rotation. */
  final RoutineScheduleActivities routineSchedules = routineSchedules();

  /** Revocation of replaced API keys at their provider, after REVOKE. */
  final ProviderKeyActivities providerKeys =
      Workflow.newActivityStub(ProviderKeyActivities.class, quick());

  /** The age of CURRENT versions, checked once a rotation closes. */
  final SecretAgeActivities secretAges =
      Workflow.newActivityStub(SecretAgeActivities.class, quick());

  /** Only the way back after REVOKE reads these. */
  final RecoveryActivities recovery = Workflow.newActivityStub(RecoveryActivities.class, quick());

  /**
   * Shard activities; a shard on a dead worker is retried elsewhere after {@code heartbeatTimeout}.
   */
  static ReencryptActivities shards(Duration heartbeatTimeout) {
    return Workflow.newActivityStub(
        ReencryptActivities.class,
        ActivityOptions.newBuilder(longRunning(Duration.ofHours(6)))
            .setHeartbeatTimeout(heartbeatTimeout)
            .build());
  }

  /**
   * For the activities whose effects a compensation undoes: a cancelled rotation waits until the
   * call in flight has really ended (completed, failed, or cancelled at a heartbeat) before its
   * compensations run. The default, {@code TRY_CANCEL}, would let a compensation run while the call
   * still works and then finish after it, e.g. a version created after its discard.
   */
  private static ActivityOptions waitingForCancellation(ActivityOptions options) {
    return ActivityOptions.newBuilder(options)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }

  /** The secret locks; the routine timer takes them too, before it starts a rotation. */
  static SecretLockActivities locks() {
    return Workflow.newActivityStub(SecretLockActivities.class, quick());
  }

  /** The routine schedules; a schedule's firings confirm their start with them too. */
  static RoutineScheduleActivities routineSchedules() {
    return Workflow.newActivityStub(RoutineScheduleActivities.class, quick());
  }

  private static ActivityOptions quick() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(BOUNDED)
        .build();
  }

  private static ActivityOptions longRunning(Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(Duration.ofSeconds(20))
        .setRetryOptions(PATIENT)
        .build();
  }
}
