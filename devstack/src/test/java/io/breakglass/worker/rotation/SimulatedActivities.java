package io.breakglass.worker.rotation;

import io.breakglass.workflows.activities.AuditActivities;
import io.breakglass.workflows.activities.BackupActivities;
import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.activities.IncidentTrackerActivities;
import io.breakglass.workflows.activities.NotificationActivities;
import io.breakglass.workflows.activities.PlanActivities;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.activities.SecretAgeActivities;
import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.VerificationActivities;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.SecretKind;
import io.breakglass.workflows.messages.values.SecretPlan;
import io.breakglass.workflows.messages.values.ShardLayout;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Activities that only pretend: a data set of {@code rows} rows whose shards "finish" at once, so a
 * test can push a plan of any size through the real workflows and look at their histories.
 */
final class SimulatedActivities
    implements PlanActivities,
        NotificationActivities,
        BackupActivities,
        SecretActivities,
        DeploymentActivities,
        ReencryptActivities,
        VerificationActivities,
        AuditActivities,
        SecretLockActivities,
        IncidentTrackerActivities,
        SecretAgeActivities {

  static final String SECRET = "ai-payload-encryption-key";
  static final String DATA_SET = "ai-snapshots";

  final AtomicLong shardsRun = new AtomicLong();
  private volatile String promoted;
  private final long rows;
  private final int shardSize;
  private final int concurrency;
  private volatile String newVersion;
  private volatile int failedAttemptsPerShard;

  SimulatedActivities(long rows, int shardSize, int concurrency) {
    this.rows = rows;
    this.shardSize = shardSize;
    this.concurrency = concurrency;
  }

  @Override
  public RotationPlan plan(PlanRequest request) {
    int shards = Math.toIntExact((rows + shardSize - 1) / shardSize);
    return new RotationPlan(
        List.of(new SecretPlan(SECRET, SecretKind.DATA_KEY, "v1", null)),
        List.of(
            new DataSetPlan(
                DATA_SET,
                SECRET,
                DataSetType.POSTGRES_COLUMN,
                rows,
                ShardLayout.keyRanges(shards, 1, shardSize),
                concurrency,
                0,
                Duration.ofSeconds(20))),
        List.of(),
        new GatePolicy(
            1, Duration.ofHours(4), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ZERO),
        "simulated",
        Duration.ofDays(90));
  }

  /**
   * Makes every shard fail its first {@code attempts} attempts: with the shards' retry backoff,
   * which the test server skips, each shard then takes minutes of workflow time.
   */
  SimulatedActivities slowShards(int attempts) {
    failedAttemptsPerShard = attempts;
    return this;
  }

  @Override
  public ShardResult reencryptShard(ShardRequest request) {
    if (Activity.getExecutionContext().getInfo().getAttempt() <= failedAttemptsPerShard) {
      throw new IllegalStateException("simulated: shard " + request.shard().index() + " is slow");
    }
    shardsRun.incrementAndGet();
    return new ShardResult(
        DATA_SET, request.shard().index(), shardSize, shardSize, 0, 0, 0, 10, "sim");
  }

  @Override
  public NewVersion createVersion(VersionRequest request) {
    newVersion = request.versionId();
    return new NewVersion(request.secret(), request.versionId(), "v1", null);
  }

  @Override
  public ScanReport scan(ScanRequest request) {
    return new ScanReport(DATA_SET, rows, Map.of(SECRET + ":" + newVersion, rows), 0, List.of());
  }

  @Override
  public SmokeReport smokeTest(SmokeTestRequest request) {
    return new SmokeReport(List.of(new CheckResult("simulated", true, "")));
  }

  @Override
  public SmokeReport refusalCheck(SmokeTestRequest request) {
    return new SmokeReport(List.of(new CheckResult("simulated", true, "")));
  }

  @Override
  public BackupRecord backup(BackupRequest request) {
    return new BackupRecord(request.dataSet(), "sim", "nowhere", rows, 0, "0", 1);
  }

  @Override
  public RestoreResult restoreUndecryptable(RestoreRequest request) {
    return new RestoreResult(request.dataSet(), 0, 0);
  }

  @Override
  public void notify(Notice notice) {}

  @Override
  public void discardVersion(VersionRequest request) {}

  @Override
  public void promote(VersionRequest request) {
    promoted = request.versionId();
  }

  /**
   * The secret's age has reset: its CURRENT version is the one this rotation promoted, just now.
   */
  @Override
  public SecretAge secretAge(SecretAgeRequest request) {
    return new SecretAge(
        request.secret(), promoted, Instant.now(), 0, Duration.ofDays(90).toSeconds());
  }

  @Override
  public void restoreLabels(NewVersion change) {}

  @Override
  public void revoke(VersionRequest request) {}

  @Override
  public void unrevoke(VersionRequest request) {}

  @Override
  public KeyringSpec readKeyring(DeploymentRequest request) {
    return new KeyringSpec(request.deployment(), List.of());
  }

  @Override
  public void publishKeyring(KeyringSpec keyring) {}

  @Override
  public RestartOutcome restart(RestartRequest request) {
    return new RestartOutcome(request.deployment(), RestartStatus.COMPLETED, "simulated");
  }

  @Override
  public RestartOutcome undoRestart(RestartRequest request) {
    return new RestartOutcome(request.deployment(), RestartStatus.COMPLETED, "simulated");
  }

  @Override
  public void recordStart(RotationRecord rotation) {}

  @Override
  public void recordTimeline(TimelineBatch batch) {}

  @Override
  public void recordClose(RotationClose close) {}

  @Override
  public LockOutcome acquire(LockRequest request) {
    return new LockOutcome(List.of(), List.of(), request.secrets());
  }

  @Override
  public void release(LockRelease release) {}

  /** The incidents filed with the tracker, in order. */
  final List<Incident> incidents = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void fileIncident(Incident incident) {
    incidents.add(incident);
  }
}
