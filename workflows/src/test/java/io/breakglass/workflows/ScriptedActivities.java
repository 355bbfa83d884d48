package io.breakglass.workflows;

import io.breakglass.workflows.activities.AuditActivities;
import io.breakglass.workflows.activities.BackupActivities;
import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.activities.IncidentTrackerActivities;
import io.breakglass.workflows.activities.MetricWatchActivities;
import io.breakglass.workflows.activities.NotificationActivities;
import io.breakglass.workflows.activities.PlanActivities;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.activities.SecretAgeActivities;
import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.VerificationActivities;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.LeftoverVersion;
import io.breakglass.workflows.messages.values.MeasurementOutcome;
import io.breakglass.workflows.messages.values.MetricPlan;
import io.breakglass.workflows.messages.values.MetricWatchPlan;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.SecretKind;
import io.breakglass.workflows.messages.values.SecretPlan;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every activity of a rotation as a script: one secret read by one deployment and no data set, so
 * the workflow logic runs alone, in milliseconds, on the time-skipping test server. A test sets
 * which calls fail and reads back the calls that were made.
 */
final class ScriptedActivities
    implements PlanActivities,
        NotificationActivities,
        BackupActivities,
        SecretActivities,
        DeploymentActivities,
        ReencryptActivities,
        VerificationActivities,
        AuditActivities,
        MetricWatchActivities,
        SecretLockActivities,
        RoutineScheduleActivities,
        IncidentTrackerActivities,
        SecretAgeActivities {

  static final String SECRET = "artifact-encryption-key";
  static final String DEPLOYMENT = "backend";

  /** Every call, in order, as {@code method argument}: what the workflow did. */
  final List<String> calls = new CopyOnWriteArrayList<>();

  final List<Notice> notices = new CopyOnWriteArrayList<>();

  /**
   * A call whose text starts with one of these fails at once, non-retryably, with {@value #FAULT};
   * remove the prefix to let the next call through.
   */
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  static final String FAULT = "SCRIPTED_FAULT";

  /** A notice whose event starts with one of these fails retryably, every attempt. */
  final Set<String> undeliverable = ConcurrentHashMap.newKeySet();

  /**
   * A notice whose event starts with one of these is refused for good ({@code
   * NOTIFICATION_REFUSED}).
   */
  final Set<String> refusedNotices = ConcurrentHashMap.newKeySet();

  /** Every delivery attempt of a notice, delivered or not, as its event. */
  final List<String> deliveryAttempts = new CopyOnWriteArrayList<>();

  /** How many of the next smoke tests fail. */
  final AtomicInteger smokeFailures = new AtomicInteger();

  /** How many of the next restarts whose reason starts with {@link #failingRestarts} fail. */
  final AtomicInteger restartFailures = new AtomicInteger();

  volatile String failingRestarts = "";

  /** How many of the next refusal checks find the revoked version still accepted. */
  final AtomicInteger acceptedAfterRevoke = new AtomicInteger();

  /** How many of the next metric measurements fail their condition. */
  final AtomicInteger failedMeasurements = new AtomicInteger();

  volatile GatePolicy policy =
      new GatePolicy(
          1, Duration.ofHours(4), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ZERO);

  volatile DeploymentTargetType target = DeploymentTargetType.RELOAD_ENDPOINT;

  volatile boolean metricWatch;

  /** Versions of the secret PLAN finds usable though neither CURRENT nor PREVIOUS. */
  volatile List<LeftoverVersion> leftovers = List.of();

  /** The version of the secret PLAN finds labelled PREVIOUS, or null. */
  volatile String previous;

  /** The version the last promote made CURRENT. */
  private volatile String promoted = "v-old";

  /** With {@link #metricWatch}: whether the plan asks for the pre-flight, and what it reports. */
  volatile boolean preflight;

  volatile PreflightReport preflightReport =
      new PreflightReport(
          true,
          List.of("BackendErrorBudgetBurn"),
          List.of(),
          List.of(),
          "scripted: no alert firing");

  @Override
  public RotationPlan plan(PlanRequest request) {
    call("plan");
    MetricWatchPlan watch =
        metricWatch
            ? new MetricWatchPlan(
                List.of(new MetricPlan("errors", Duration.ofMinutes(1), 1, 0, 0, false)),
                false,
                preflight)
            : null;
    return new RotationPlan(
        List.of(new SecretPlan(SECRET, SecretKind.DATA_KEY, "v-old", previous, leftovers)),
        List.of(),
        List.of(new DeploymentPlan(DEPLOYMENT, target, List.of(SECRET))),
        policy,
        metricWatch ? null : "no metric watch in this script",
        Duration.ofDays(90),
        watch);
  }

  /** Each rotated secret's age has reset: its CURRENT version is as old as the rotation. */
  @Override
  public SecretAge secretAge(SecretAgeRequest request) {
    calls.add("secretAge " + request.secret());
    return new SecretAge(
        request.secret(), promoted, Instant.now(), 0, Duration.ofDays(90).toSeconds());
  }

  @Override
  public void notify(Notice notice) {
    deliveryAttempts.add(notice.event());
    if (undeliverable.stream().anyMatch(notice.event()::startsWith)) {
      throw RotationErrors.NOTIFICATION_FAILED.failure(
          "scripted: " + notice.event() + " undelivered");
    }
    if (refusedNotices.stream().anyMatch(notice.event()::startsWith)) {
      throw RotationErrors.NOTIFICATION_REFUSED.failure("scripted: " + notice.event() + " refused");
    }
    notices.add(notice);
  }

  @Override
  public NewVersion createVersion(VersionRequest request) {
    call("createVersion " + request.versionId());
    return new NewVersion(request.secret(), request.versionId(), "v-old", null);
  }

  @Override
  public void discardVersion(VersionRequest request) {
    call("discardVersion " + request.versionId());
  }

  @Override
  public void promote(VersionRequest request) {
    call("promote " + request.versionId());
    promoted = request.versionId();
  }

  @Override
  public void restoreLabels(NewVersion change) {
    call("restoreLabels " + change.replacedVersionId());
  }

  @Override
  public void revoke(VersionRequest request) {
    call("revoke " + request.versionId());
  }

  @Override
  public void unrevoke(VersionRequest request) {
    call("unrevoke " + request.versionId());
  }

  @Override
  public KeyringSpec readKeyring(DeploymentRequest request) {
    return new KeyringSpec(request.deployment(), List.of());
  }

  @Override
  public void publishKeyring(KeyringSpec keyring) {
    call("publishKeyring " + keyring.deployment());
  }

  @Override
  public RestartOutcome restart(RestartRequest request) {
    call("restart " + request.reason());
    if (request.reason().startsWith(failingRestarts)
        && restartFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw RotationErrors.RESTART_FAILED.failure("pods of " + request.deployment() + " not ready");
    }
    return new RestartOutcome(request.deployment(), RestartStatus.COMPLETED, "restarted");
  }

  @Override
  public RestartOutcome undoRestart(RestartRequest request) {
    call("undoRestart " + request.reason());
    return new RestartOutcome(request.deployment(), RestartStatus.COMPLETED, "undone");
  }

  @Override
  public SmokeReport smokeTest(SmokeTestRequest request) {
    boolean passed = smokeFailures.getAndUpdate(n -> Math.max(0, n - 1)) == 0;
    calls.add("smokeTest " + (passed ? "passed" : "failed"));
    return new SmokeReport(List.of(new CheckResult("canary", passed, "scripted")));
  }

  @Override
  public SmokeReport refusalCheck(SmokeTestRequest request) {
    boolean refused = acceptedAfterRevoke.getAndUpdate(n -> Math.max(0, n - 1)) == 0;
    calls.add("refusalCheck " + (refused ? "refused" : "accepted"));
    return new SmokeReport(List.of(new CheckResult("revoked jwt session", refused, "scripted")));
  }

  @Override
  public Baselines captureBaselines(WatchRequest request) {
    return new Baselines(Map.of(), List.of());
  }

  @Override
  public Measurement measure(MeasureRequest request) {
    boolean failed = failedMeasurements.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    calls.add("measure " + (failed ? "failed" : "successful"));
    return new Measurement(
        request.metric(),
        request.number(),
        failed ? MeasurementOutcome.FAILED : MeasurementOutcome.SUCCESSFUL,
        failed ? 9.0 : 0.0,
        "scripted");
  }

  @Override
  public PreflightReport preflight(WatchRequest request) {
    calls.add("preflight");
    return preflightReport;
  }

  @Override
  public LogScanReport scanLogs(WatchRequest request) {
    throw notScripted("a log scan");
  }

  @Override
  public BackupRecord backup(BackupRequest request) {
    throw notScripted("a data set");
  }

  @Override
  public RestoreResult restoreUndecryptable(RestoreRequest request) {
    throw notScripted("a data set");
  }

  @Override
  public ShardResult reencryptShard(ShardRequest request) {
    throw notScripted("a data set");
  }

  @Override
  public ScanReport scan(ScanRequest request) {
    throw notScripted("a data set");
  }

  @Override
  public LockOutcome acquire(LockRequest request) {
    calls.add("lock " + request.secrets());
    return new LockOutcome(List.of(), List.of(), request.secrets());
  }

  @Override
  public void release(LockRelease release) {
    calls.add("unlock " + release.rotationId());
  }

  /** Like the test server: no Temporal Schedules, so the durable timer keeps the next date. */
  @Override
  public ScheduleOutcome upsertRoutineSchedule(RoutineScheduleRequest request) {
    return new ScheduleOutcome(false, false, "the Temporal server has no Schedules");
  }

  @Override
  public StartCheck confirmScheduledStart(ScheduledRun run) {
    return new StartCheck(false, "the Temporal server has no Schedules");
  }

  @Override
  public void recordStart(RotationRecord rotation) {}

  @Override
  public void recordTimeline(TimelineBatch batch) {}

  @Override
  public void recordClose(RotationClose close) {
    calls.add("recordClose " + close.state());
  }

  /** Records {@code text} as a call, then fails it when a test made it {@link #failing}. */
  private void call(String text) {
    calls.add(text);
    if (failing.stream().anyMatch(text::startsWith)) {
      throw ApplicationFailure.newNonRetryableFailure("scripted: " + text + " failed", FAULT);
    }
  }

  private static ApplicationFailure notScripted(String what) {
    return ApplicationFailure.newNonRetryableFailure("this script has no " + what, "NOT_SCRIPTED");
  }

  /** The calls whose text starts with {@code prefix}. */
  List<String> callsOf(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).toList();
  }

  /** The events of the notices sent so far. */
  List<String> noticeEvents() {
    return notices.stream().map(Notice::event).toList();
  }

  /** The incidents filed with the tracker, in order. */
  final List<Incident> incidents = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void fileIncident(Incident incident) {
    incidents.add(incident);
  }
}
