package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.AuditActivities.RotationClose;
import io.breakglass.workflows.activities.AuditActivities.RotationRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.DeploymentActivities.DeploymentRequest;
import io.breakglass.workflows.activities.IncidentTrackerActivities.Incident;
import io.breakglass.workflows.activities.IncidentTrackerActivities.NextRotationTicket;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.activities.PlanActivities.PlanRequest;
import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.breakglass.workflows.activities.SecretActivities.VersionRequest;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.breakglass.workflows.activities.VerificationActivities.SmokeReport;
import io.breakglass.workflows.activities.VerificationActivities.SmokeTestRequest;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.SecretKind;
import io.breakglass.workflows.messages.values.SecretPlan;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * {@link RotationWorkflow}: the runbook, phase by phase, and the rollback. The gates, restarts,
 * human escalations and data phases are parts of their own; this class orders them. Deterministic:
 * workflow time, workflow threads and activities only.
 */
public class RotationWorkflowImpl implements RotationWorkflow {

  private static final Logger log = ContextLogger.of(RotationWorkflowImpl.class);

  /**
   * CREATE_VERSION failures a human can fix and retry (clear a stale PENDING, supply the API key or
   * a working one); any other failure there rolls back at once.
   */
  private static final Set<String> NEEDS_A_HUMAN_AT_CREATE =
      Set.of(
          RotationErrors.STALE_PENDING.name(),
          RotationErrors.OPERATOR_VALUE_MISSING.name(),
          RotationErrors.OPERATOR_VALUE_REFUSED.name());

  /** Histories that reached CLOSE before Temporal Schedules replay with the durable timer alone. */
  private static final String ROUTINE_SCHEDULES = "routine-schedules";

  /** Histories that reached REVOKE before API keys were revoked at their provider skip it. */
  private static final String PROVIDER_REVOKE = "provider-revoke";

  /** Histories that reached CLOSE before the secret age check skip it. */
  private static final String SECRET_AGE_CHECK = "secret-age-check";

  /** Histories that ended before the incident tracker replay without filing. */
  private static final String INCIDENT_TRACKER = "incident-tracker";

  private final RotationContext rotation;
  private final Notices notices;
  private final Escalations escalations;
  private final Gates gates;
  private final Restarts restarts;
  private final DataPhases data;
  private final MetricWatch metricWatch;
  private final Preflight preflight;
  private final SecretLock lock;
  private final NextRoutineRotation nextRoutineRotation;
  private final SearchAttributePublisher searchAttributes;
  private final ProviderRevocations providerRevocations;
  private final SecretAgeCheck secretAgeCheck;
  private final Leftovers leftovers;
  private Instant versionsCreating;
  private boolean watching;
  private final Compensations compensations = new Compensations();
  private final Map<String, KeyringSpec> keyrings = new LinkedHashMap<>();
  private RotationState endState;
  private String failure;

  @WorkflowInit
  public RotationWorkflowImpl(RotationRequest request) {
    rotation = new RotationContext(request);
    LogContext.rotation(request == null ? null : request.rotationId(), () -> rotation.phase);
    notices = new Notices(rotation);
    escalations = new Escalations(rotation, notices);
    gates = new Gates(rotation, notices, escalations);
    restarts = new Restarts(rotation);
    data = new DataPhases(rotation, escalations);
    metricWatch = new MetricWatch(rotation, escalations);
    preflight = new Preflight(rotation);
    lock = new SecretLock(rotation);
    nextRoutineRotation = new NextRoutineRotation(rotation);
    searchAttributes = new SearchAttributePublisher(() -> rotation.phase, this::state);
    providerRevocations = new ProviderRevocations(rotation, escalations);
    secretAgeCheck = new SecretAgeCheck(rotation, escalations);
    leftovers = new Leftovers(rotation, escalations);
  }

  @Override
  // A rotation ends on the build that started it: a new worker build changes nothing in flight.
  public RotationResult rotate(RotationRequest ignored) {
    try {
      RequestRules.check(rotation.request, Workflow.getInfo().getWorkflowId());
    } catch (ApplicationFailure invalid) {
      endState = RotationState.FAILED;
      failure = Failures.describe(invalid);
      RotationMetrics.rotationEnded(endState);
      throw invalid;
    }
    searchAttributes.start(rotation.request);
    try {
      runUpToRevokeGate();
    } catch (TemporalFailure cause) {
      TemporalFailure decided;
      try {
        decided = heldForAHuman(cause);
      } catch (CanceledFailure cancelledWhileHeld) {
        decided = cancelledWhileHeld;
      }
      RuntimeException ended = rollBack(decided);
      searchAttributes.publishNow();
      throw ended;
    }
    // The revoke gate is the point of no return: nothing is rolled back after it.
    compensations.release();
    revoke();
    RotationResult result = close();
    searchAttributes.publishNow();
    RotationMetrics.rotationEnded(endState);
    Workflow.await(Workflow::isEveryHandlerFinished);
    return result;
  }

  private void runUpToRevokeGate() {
    phase(Phase.PLAN, this::plan);
    phase(Phase.NOTIFY, this::notifyStart);
    if (rotation.plan.dataSets().isEmpty()) {
      skip(Phase.BACKUP, "no data set is encrypted under the rotated secrets");
    } else {
      phase(Phase.BACKUP, this::backup);
    }
    escalations.awaitNotHalted();
    preflight.run();
    gates.pass(GateName.PROCEED);
    versionsCreating = RotationContext.now();
    phase(Phase.CREATE_VERSION, this::createVersions);
    if (rolledOut().isEmpty()) {
      skip(Phase.DISTRIBUTE, "no deployment with a rollout target reads the rotated secrets");
    } else {
      phase(Phase.DISTRIBUTE, this::distribute);
    }
    phase(Phase.PROMOTE, this::promote);
    Instant promoted = RotationContext.now();
    if (rotation.plan.dataSets().isEmpty()) {
      skip(Phase.REENCRYPT, "no data set is encrypted under the rotated secrets");
      skip(Phase.VERIFY_DATA, "no data set is encrypted under the rotated secrets");
    } else {
      untilSafe("re-encryption", data::run);
    }
    untilSafe("the smoke test", () -> phase(Phase.SMOKE_TEST, this::smokeTest));
    if (watching) {
      untilSafe("the metric watch", () -> phase(Phase.METRIC_WATCH, metricWatch::run));
    } else {
      skip(Phase.METRIC_WATCH, rotation.plan.metricWatchSkipReason());
    }
    awaitStableSince(promoted);
    untilSafe("the revoke gate", () -> gates.pass(GateName.REVOKE));
  }

  /**
   * The runbook revokes only once the deployment has run stable on the new versions for one
   * monitoring interval. METRIC_WATCH may not be configured, so the revoke gate itself waits for
   * what remains of that interval after PROMOTE, on a durable timer.
   */
  private void awaitStableSince(Instant promoted) {
    Duration interval = rotation.plan.policy().monitoringInterval();
    if (interval == null) {
      return;
    }
    Instant stable = promoted.plus(interval);
    Duration left = Duration.between(RotationContext.now(), stable);
    if (left.isNegative() || left.isZero()) {
      return;
    }
    escalations.awaitNotHalted();
    rotation.phase = Phase.GATE_REVOKE;
    rotation.event(
        TimelineOutcome.WAITING,
        SYSTEM_ACTOR,
        "the revoke gate opens at "
            + stable
            + ", once the deployment has run on the new versions"
            + " for one monitoring interval ("
            + interval
            + ") since PROMOTE");
    rotation.saveTimeline();
    Workflow.sleep(left);
  }

  /**
   * Runs a step that comes after PROMOTE. When it fails in an EMERGENCY rotation, rolling back
   * would put a version suspected compromised back, so nothing rolls back by itself: the rotation
   * escalates and waits until a human retries the step or chooses that rollback knowingly. In a
   * ROUTINE rotation the failure rolls back as before.
   */
  private void untilSafe(String step, Runnable body) {
    while (true) {
      try {
        body.run();
        return;
      } catch (TemporalFailure failed) {
        if (!holdsForAHuman(failed)) {
          throw failed;
        }
        Resume answer =
            escalations.ask(
                step
                    + " failed ("
                    + Failures.describe(failed)
                    + "); an EMERGENCY rotation does"
                    + " not roll back onto a version suspected compromised by itself: RETRY runs "
                    + step
                    + " again",
                List.of(ResumeAction.RETRY, ResumeAction.ROLLBACK),
                List.of(),
                "rollback-held");
        if (answer.action() == ResumeAction.ROLLBACK) {
          throw rollbackChosen(answer, failed);
        }
      }
    }
  }

  /**
   * The last guard before the compensations: a failure no step could retry still does not roll an
   * EMERGENCY rotation back onto a version suspected compromised until a human chooses it.
   */
  private TemporalFailure heldForAHuman(TemporalFailure cause) {
    if (!holdsForAHuman(cause)) {
      return cause;
    }
    Resume answer =
        escalations.ask(
            rotation.phase
                + " failed ("
                + Failures.describe(cause)
                + ") and cannot be retried;"
                + " an EMERGENCY rotation does not roll back onto a version suspected compromised"
                + " by itself: it waits here, new versions CURRENT, until someone chooses",
            List.of(ResumeAction.ROLLBACK),
            List.of(),
            "rollback-held");
    return rollbackChosen(answer, cause);
  }

  /** True for a failure that would roll back onto a suspected version without a human's choice. */
  private boolean holdsForAHuman(TemporalFailure failed) {
    boolean cancelled =
        failed instanceof CanceledFailure
            || failed.getCause() instanceof CanceledFailure
            || CancellationScope.current().isCancelRequested();
    return rotation.rollbackRestoresSuspectedKey()
        && !cancelled
        && !RotationErrors.ROLLED_BACK_BY_OPERATOR.is(Failures.type(failed));
  }

  private static ApplicationFailure rollbackChosen(Resume answer, TemporalFailure cause) {
    return RotationErrors.ROLLED_BACK_BY_OPERATOR.failure(
        "rolled back onto a version suspected compromised by "
            + answer.actor()
            + ", knowingly: "
            + answer.comment(),
        cause);
  }

  // ---- phases -------------------------------------------------------------------------------

  private String plan() {
    RotationRequest request = rotation.request;
    rotation.activities.audit.recordStart(
        new RotationRecord(
            request.rotationId(),
            Workflow.getInfo().getWorkflowId(),
            request.kind(),
            request.initiator(),
            request.reason(),
            request.secrets(),
            RotationContext.now()));
    // After recordStart, so a rotation refused for a locked secret is in the rotation list too.
    lock.acquire();
    rotation.plan =
        rotation.activities.plan.plan(
            new PlanRequest(
                request.rotationId(),
                request.secrets(),
                request.kind(),
                request.requiredApprovals(),
                request.gateTimeout()));
    rotation.initiator = verifiedInitiator();
    int leftovers = this.leftovers.report();
    // Baselines before anything changes; only new histories run this (see MetricWatch.planned).
    watching = metricWatch.planned();
    String baselines = watching ? "; " + metricWatch.captureBaselines() : "";
    long items = rotation.plan.dataSets().stream().mapToLong(DataSetPlan::itemCount).sum();
    int shards = rotation.plan.dataSets().stream().mapToInt(d -> d.layout().shardCount()).sum();
    return rotation.plan.secrets().size()
        + " secret(s), "
        + rotation.plan.dataSets().size()
        + " data set(s) with "
        + items
        + " item(s) in "
        + shards
        + " shard(s), "
        + rotation.plan.deployments().size()
        + " deployment(s); "
        + rotation.plan.policy().requiredApprovals()
        + " approval(s) per gate"
        + (leftovers == 0 ? "" : "; " + leftovers + " leftover version(s), see LEFTOVER")
        + baselines
        + "; initiator "
        + rotation.initiator.name()
        + " "
        + rotation.initiator.how();
  }

  /**
   * The initiator, proven by the request's {@code initiatorProof} for this rotation's START where
   * the plan's policy asks for proofs; throws {@code UNVERIFIED_INITIATOR} otherwise. The routine
   * schedule needs no proof: Temporal itself names the parent that started it, which no client can
   * set (the durable timer of the secret, or a firing of its Temporal Schedule, which confirmed
   * with Temporal that the schedule started it), and its rotation still waits for proven approvers
   * at every gate.
   */
  private Identity verifiedInitiator() {
    RotationRequest request = rotation.request;
    String secret = request.secrets().size() == 1 ? request.secrets().get(0) : null;
    String parent = Workflow.getInfo().getParentWorkflowId().orElse(null);
    if (RoutineRotationWorkflow.SCHEDULER.equals(request.initiator())
        && request.initiatorProof() == null
        && request.kind() == RotationKind.ROUTINE
        && secret != null
        && parent != null) {
      if (parent.equals(RoutineRotationWorkflow.workflowId(secret))) {
        return new Identity(
            request.initiator(),
            PersonNames.key(request.initiator()),
            true,
            "started by its routine schedule " + parent,
            null);
      }
      if (ScheduledRoutineRotationWorkflow.isFiringOf(secret, parent)) {
        return new Identity(
            request.initiator(),
            PersonNames.key(request.initiator()),
            true,
            "started by its routine schedule "
                + RoutineScheduleActivities.scheduleId(secret)
                + " (Temporal Schedule firing "
                + parent
                + ")",
            null);
      }
    }
    Judgement judgement =
        rotation.proofs.identifyFetching(
            ProofBinding.start(request.rotationId()),
            request.initiator(),
            request.initiatorProof());
    if (judgement.isRefused()) {
      throw RotationErrors.UNVERIFIED_INITIATOR.failure(
          "initiator " + request.initiator() + " is not verified: " + judgement.refusal());
    }
    rotation.proofs.spend(judgement.identity());
    return judgement.identity();
  }

  private String notifyStart() {
    RotationRequest request = rotation.request;
    notices.send(
        "started",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER, Audience.CUSTOMER_SUCCESS),
        Severity.WARNING,
        request.kind()
            + " rotation "
            + request.rotationId()
            + " of "
            + String.join(", ", request.secrets())
            + " started by "
            + request.initiator()
            + ": "
            + request.reason());
    return "on-call, security officer and customer success notified";
  }

  private String backup() {
    Map<String, Promise<BackupRecord>> running = new LinkedHashMap<>();
    for (DataSetPlan dataSet : rotation.plan.dataSets()) {
      running.put(
          dataSet.name(),
          Async.function(
              rotation.activities.backups::backup,
              new BackupRequest(rotation.rotationId(), dataSet.name())));
    }
    long items = 0;
    List<String> dumps = new ArrayList<>();
    for (Map.Entry<String, Promise<BackupRecord>> entry : running.entrySet()) {
      BackupRecord record = entry.getValue().get();
      rotation.backups.put(entry.getKey(), record);
      items += record.items();
      rotation.validations.add(
          "backup "
              + record.backupId()
              + ": "
              + record.items()
              + " items, sha256 "
              + record.sha256()
              + ", "
              + record.sampleVerified()
              + " sample items restored and decrypted");
      if (record.databaseDump() != null) {
        rotation.validations.add("backup " + record.databaseDump());
        dumps.add(record.databaseDump());
      }
    }
    return rotation.backups.size()
        + " backup(s) of "
        + items
        + " item(s), each verified by a sample restore"
        + (dumps.isEmpty() ? "" : "; " + String.join("; ", dumps));
  }

  private String createVersions() {
    for (SecretPlan secret : rotation.plan.secrets()) {
      String versionId = VersionIds.forRotation(rotation.rotationId(), secret.name());
      VersionRequest version = new VersionRequest(rotation.rotationId(), secret.name(), versionId);
      compensations.register(
          Phase.CREATE_VERSION,
          "discard version " + versionId + " of " + secret.name(),
          () -> rotation.activities.secrets.discardVersion(version));
      rotation.versions.add(
          untilDecided(
              () -> rotation.activities.secrets.createVersion(version),
              List.of(ResumeAction.RETRY, ResumeAction.ROLLBACK),
              NEEDS_A_HUMAN_AT_CREATE::contains));
    }
    return rotation.versions.stream()
        .map(v -> v.secret() + " " + v.versionId() + " (PENDING)")
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private String distribute() {
    for (DeploymentPlan deployment : rotation.plan.deployments()) {
      if (deployment.target() == DeploymentTargetType.NONE) {
        rotation.event(
            TimelineOutcome.SKIPPED,
            SYSTEM_ACTOR,
            deployment.name() + ": target none, nothing to roll out");
        continue;
      }
      List<NewVersion> read = versionsReadBy(deployment);
      KeyringSpec before =
          Keyrings.rotatedEntries(
              rotation.activities.deployments.readKeyring(
                  new DeploymentRequest(rotation.rotationId(), deployment.name())),
              read);
      KeyringSpec distributed = Keyrings.distributed(before, read);
      String reason = "DISTRIBUTE: new versions can decrypt, old ones stay primary";
      compensations.register(
          Phase.DISTRIBUTE,
          "restore the keyring of "
              + deployment.name()
              + " without the new versions, "
              + Restarts.rollBackVerb(deployment),
          () -> {
            rotation.activities.deployments.publishKeyring(before);
            restarts.rollBack(
                deployment, reason, "rollback: new versions removed from the keyring");
          });
      rotation.activities.deployments.publishKeyring(distributed);
      restarts.restart(deployment, reason);
      keyrings.put(deployment.name(), distributed);
    }
    return "new versions decrypt-only in " + keyrings.size() + " deployment(s)";
  }

  private String promote() {
    for (NewVersion version : rotation.versions) {
      // Registered before PROMOTE, not at REENCRYPT: once the new version is primary, workloads
      // write items under it, and those must move back before the new version leaves keyrings.
      for (DataSetPlan dataSet : dataSetsOf(version.secret())) {
        compensations.register(
            Phase.PROMOTE,
            "re-encrypt "
                + dataSet.name()
                + " items under "
                + version.newKeyId()
                + " back to "
                + version.oldKeyId(),
            () -> data.reverse(dataSet, version));
      }
      compensations.register(
          Phase.PROMOTE,
          "move CURRENT of " + version.secret() + " back to " + version.replacedVersionId(),
          () -> rotation.activities.secrets.restoreLabels(version));
      // Before the call: a promote that fails may still have taken effect in the store.
      rotation.newVersionIsCurrent();
      rotation.activities.secrets.promote(
          new VersionRequest(rotation.rotationId(), version.secret(), version.versionId()));
    }
    for (DeploymentPlan deployment : rolledOut()) {
      KeyringSpec distributed = keyrings.get(deployment.name());
      KeyringSpec promoted = Keyrings.promoted(distributed, versionsReadBy(deployment));
      String reason = "PROMOTE: new versions primary, old ones decrypt-only";
      compensations.register(
          Phase.PROMOTE,
          "make the old versions primary again in "
              + deployment.name()
              + ", "
              + Restarts.rollBackVerb(deployment),
          () -> {
            rotation.activities.deployments.publishKeyring(distributed);
            restarts.rollBack(deployment, reason, "rollback: old versions primary again");
          });
      rotation.activities.deployments.publishKeyring(promoted);
      restartAfterPromote(deployment, reason);
      keyrings.put(deployment.name(), promoted);
    }
    return rotation.versions.size()
        + " version(s) CURRENT, primary in "
        + keyrings.size()
        + " deployment(s)";
  }

  /**
   * A restart once the new versions are CURRENT. In an EMERGENCY rotation a failed one is held for
   * a human (see {@link #untilSafe}); each retry is a new rollout, never the failed one replayed.
   */
  private void restartAfterPromote(DeploymentPlan deployment, String reason) {
    int[] attempt = {0};
    untilSafe(
        "the restart of " + deployment.name(),
        () -> restarts.restart(deployment, Restarts.attempt(reason, ++attempt[0])));
  }

  private String smokeTest() {
    List<String> dataSets = rotation.plan.dataSets().stream().map(DataSetPlan::name).toList();
    SmokeReport report =
        rotation.activities.verification.smokeTest(
            new SmokeTestRequest(rotation.rotationId(), List.copyOf(rotation.versions), dataSets));
    for (CheckResult check : report.checks()) {
      rotation.validations.add(
          "smoke "
              + check.name()
              + ": "
              + (check.passed() ? "passed" : "FAILED")
              + " "
              + check.detail());
    }
    if (!report.passed()) {
      List<String> failedChecks =
          report.checks().stream().filter(c -> !c.passed()).map(CheckResult::name).toList();
      throw RotationErrors.SMOKE_TEST_FAILED.failure("smoke checks failed: " + failedChecks);
    }
    return report.checks().size() + " check(s) passed";
  }

  private void revoke() {
    phase(
        Phase.REVOKE,
        () -> {
          for (NewVersion version : rotation.versions) {
            untilDecided(
                () -> {
                  rotation.activities.secrets.revoke(
                      new VersionRequest(
                          rotation.rotationId(), version.secret(), version.replacedVersionId()));
                  return null;
                },
                List.of(ResumeAction.RETRY));
          }
          int leftoversRevoked =
              leftovers.settle(
                  leftover ->
                      untilDecided(
                          () -> {
                            rotation.activities.secrets.revoke(leftover);
                            return null;
                          },
                          List.of(ResumeAction.RETRY)));
          revokeApiKeysAtTheirProvider();
          for (DeploymentPlan deployment : rolledOut()) {
            KeyringSpec revoked =
                Keyrings.revoked(keyrings.get(deployment.name()), versionsReadBy(deployment));
            untilDecided(
                () -> {
                  rotation.activities.deployments.publishKeyring(revoked);
                  return null;
                },
                List.of(ResumeAction.RETRY));
            keyrings.put(deployment.name(), revoked);
            restartAfterRevoke(deployment);
          }
          checkRevokedRefused();
          return rotation.versions.size()
              + " old version(s) revoked"
              + (leftoversRevoked == 0 ? "" : ", and " + leftoversRevoked + " leftover version(s)");
        });
  }

  /** Replaced API keys stop working where they were issued too, once the store revoked them. */
  private void revokeApiKeysAtTheirProvider() {
    List<NewVersion> apiKeys =
        rotation.versions.stream()
            .filter(
                v ->
                    rotation.plan.secrets().stream()
                        .anyMatch(
                            s -> s.name().equals(v.secret()) && s.kind() == SecretKind.API_KEY))
            .toList();
    if (apiKeys.isEmpty()
        || Workflow.getVersion(PROVIDER_REVOKE, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return;
    }
    apiKeys.forEach(providerRevocations::revokeReplaced);
  }

  /**
   * The restart that drops the revoked versions. Past the point of no return nothing rolls back; a
   * failed restart waits for a human: RETRY starts a new rollout (a replay of the failed one would
   * change nothing), UNDO_RESTART puts a Kubernetes deployment back on the revision it ran before
   * this restart and goes on.
   */
  private void restartAfterRevoke(DeploymentPlan deployment) {
    String reason = "REVOKE: old versions removed from the keyring";
    List<ResumeAction> allowed =
        deployment.target() == DeploymentTargetType.KUBERNETES
            ? List.of(ResumeAction.RETRY, ResumeAction.UNDO_RESTART)
            : List.of(ResumeAction.RETRY);
    for (int attempt = 1; ; attempt++) {
      String thisRestart = Restarts.attempt(reason, attempt);
      try {
        restarts.restart(deployment, thisRestart);
        return;
      } catch (TemporalFailure failed) {
        if (failed.getCause() instanceof CanceledFailure
            || CancellationScope.current().isCancelRequested()) {
          throw failed;
        }
        Resume answer =
            escalations.ask(
                "the restart of "
                    + deployment.name()
                    + " after REVOKE failed: "
                    + Failures.describe(failed),
                allowed,
                List.of(),
                "revoke-restart-failed");
        if (answer.action() == ResumeAction.UNDO_RESTART) {
          restarts.rollBack(deployment, thisRestart, "undo the failed restart after REVOKE");
          return;
        }
      }
    }
  }

  /**
   * The proof that REVOKE took hold: a token signed with a revoked version must now be refused.
   * Nothing rolls back after REVOKE, so a service that still accepts one waits for a human, who
   * retries the check (after fixing the service) or accepts the finding, which is recorded.
   */
  private void checkRevokedRefused() {
    while (true) {
      SmokeReport report =
          rotation.activities.verification.refusalCheck(
              new SmokeTestRequest(
                  rotation.rotationId(), List.copyOf(rotation.versions), List.of()));
      for (CheckResult check : report.checks()) {
        rotation.validations.add(
            "smoke "
                + check.name()
                + ": "
                + (check.passed() ? "passed" : "FAILED")
                + " "
                + check.detail());
      }
      if (report.passed()) {
        return;
      }
      List<String> failed =
          report.checks().stream().filter(c -> !c.passed()).map(CheckResult::name).toList();
      Resume answer =
          escalations.ask(
              "the service still accepts what the revoked versions sign: "
                  + failed
                  + "; RETRY checks again, ACCEPT completes the rotation with the finding recorded",
              List.of(ResumeAction.RETRY, ResumeAction.ACCEPT),
              List.of(),
              "revoked-still-accepted");
      if (answer.action() == ResumeAction.ACCEPT) {
        String accepted =
            "revoked versions still accepted by "
                + failed
                + ": accepted by "
                + answer.actor()
                + (answer.comment() == null ? "" : ": " + answer.comment());
        rotation.event(TimelineOutcome.APPROVED, answer.actor(), accepted);
        rotation.validations.add("smoke " + accepted);
        rotation.accepted.add("follow up on " + accepted);
        return;
      }
    }
  }

  private RotationResult close() {
    Instant due = RotationContext.now().plus(rotation.plan.nextRotationAfter());
    long reencrypted = data.itemsReencrypted();
    phase(
        Phase.CLOSE,
        () -> {
          if (Workflow.getVersion(SECRET_AGE_CHECK, Workflow.DEFAULT_VERSION, 1)
              != Workflow.DEFAULT_VERSION) {
            secretAgeCheck.check(rotation.versions, versionsCreating);
          }
          untilDecided(
              () -> {
                rotation.activities.audit.recordClose(
                    closeRecord(RotationState.COMPLETED, due, reencrypted, null));
                return null;
              },
              List.of(ResumeAction.RETRY));
          // Rotations that reached CLOSE before Temporal Schedules kept only the durable timer.
          boolean schedules =
              Workflow.getVersion(ROUTINE_SCHEDULES, Workflow.DEFAULT_VERSION, 1)
                  != Workflow.DEFAULT_VERSION;
          for (NewVersion version : rotation.versions) {
            RoutineSchedule next =
                new RoutineSchedule(version.secret(), due, rotation.rotationId());
            if (!schedules
                || !nextRoutineRotation.onSchedule(next, rotation.plan.nextRotationAfter())) {
              scheduleRoutineRotation(next);
            }
          }
          notices.send(
              "completed",
              List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER, Audience.CUSTOMER_SUCCESS),
              Severity.INFO,
              "rotation "
                  + rotation.rotationId()
                  + " completed: "
                  + reencrypted
                  + " item(s) re-encrypted, old versions revoked; next routine rotation due "
                  + due);
          fileIncident(RotationState.COMPLETED, due, List.of());
          return "incident timeline recorded; next routine rotation due " + due;
        });
    lock.release();
    endState = RotationState.COMPLETED;
    return new RotationResult(
        rotation.rotationId(),
        List.copyOf(rotation.versions),
        reencrypted,
        0,
        due,
        rotation.timeline.entries());
  }

  // ---- rollback -------------------------------------------------------------------------------

  /** Runs the compensations in a detached scope and returns the failure the workflow ends with. */
  private RuntimeException rollBack(TemporalFailure cause) {
    boolean cancelled =
        CancellationScope.current().isCancelRequested() || cause instanceof CanceledFailure;
    String type = Failures.type(cause);
    failure = Failures.describe(cause);
    List<String> skipped = new ArrayList<>();
    Workflow.newDetachedCancellationScope(
            () -> {
              rotation.compensating = true;
              rotation.event(TimelineOutcome.FAILED, SYSTEM_ACTOR, "rolling back after " + failure);
              rotation.saveTimeline();
              skipped.addAll(compensations.runAll(new Supervisor()));
              rotation.compensating = false;
              endState = skipped.isEmpty() ? RotationState.ROLLED_BACK : RotationState.FAILED;
              rotation.event(
                  skipped.isEmpty() ? TimelineOutcome.COMPENSATED : TimelineOutcome.FAILED,
                  SYSTEM_ACTOR,
                  skipped.isEmpty()
                      ? "every compensation ran; the system is back on the old versions"
                      : "compensations skipped, manual repair needed: " + skipped);
              recordCloseQuietly(endState);
              lock.release();
              notices.send(
                  endState == RotationState.ROLLED_BACK ? "rolled-back" : "failed",
                  List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER, Audience.ESCALATION),
                  Severity.CRITICAL,
                  "rotation " + rotation.rotationId() + " " + endState + ": " + failure);
              fileIncident(endState, null, skipped);
              rotation.saveTimeline();
            })
        .run();
    RotationMetrics.rotationEnded(endState);
    if (cancelled) {
      return cause instanceof CanceledFailure canceled
          ? canceled
          : new CanceledFailure("rotation cancelled; compensations ran");
    }
    if (!skipped.isEmpty()) {
      return RotationErrors.COMPENSATION_FAILED.failure(
          "rotation failed ("
              + failure
              + ") and these compensations were skipped, manual repair needed: "
              + skipped,
          cause);
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "rotation rolled back: " + failure, type, cause);
  }

  /** Runs around each compensation: honours halts, escalates failures to a human. */
  private final class Supervisor implements Compensations.Supervisor {
    @Override
    public void beforeStep() {
      escalations.awaitNotHalted();
    }

    @Override
    public ResumeAction onFailure(CompensationView step, TemporalFailure failed) {
      Resume answer =
          escalations.ask(
              "compensation "
                  + step.order()
                  + " ("
                  + step.description()
                  + ") keeps failing: "
                  + step.error(),
              List.of(ResumeAction.RETRY, ResumeAction.SKIP_STEP),
              List.of(),
              "compensation-failed");
      return answer.action();
    }

    @Override
    public void onUndone(CompensationView step) {
      RotationMetrics.compensationRan(step.phase());
      rotation.event(TimelineOutcome.COMPENSATED, SYSTEM_ACTOR, step.description());
      rotation.saveTimeline();
    }
  }

  // ---- signals, update and query --------------------------------------------------------------

  @Override
  public void approve(Approval approval) {
    if (UnreadableCommands.refused(rotation, "approve", approval, Approval::approver)) {
      return;
    }
    gates.signal(
        "approve",
        approval.gate(),
        Verdict.APPROVE,
        approval.overridePreflight(),
        approval.approver(),
        approval.comment(),
        approval.proof());
  }

  @Override
  public void reject(Rejection rejection) {
    if (UnreadableCommands.refused(rotation, "reject", rejection, Rejection::approver)) {
      return;
    }
    gates.signal(
        "reject",
        rejection.gate(),
        Verdict.REJECT,
        false,
        rejection.approver(),
        rejection.reason(),
        rejection.proof());
  }

  @Override
  public void reportProgress(DataSetProgress progress) {
    rotation.progress.report(progress);
  }

  @Override
  public GateView decide(GateDecision decision) {
    return gates.decide(decision);
  }

  @Override
  public void validateDecide(GateDecision decision) {
    UnreadableCommands.validate(decision);
    gates.validate(decision);
  }

  @Override
  public void halt(Halt halt) {
    if (UnreadableCommands.refused(rotation, "halt", halt, Halt::actor)) {
      return;
    }
    escalations.halt(halt, endState != null);
  }

  @Override
  public void resume(Resume resume) {
    if (UnreadableCommands.refused(rotation, "resume", resume, Resume::actor)) {
      return;
    }
    escalations.resume(resume);
  }

  @Override
  public void confirmRestart(RestartConfirmation confirmation) {
    if (UnreadableCommands.refused(
        rotation, "confirmRestart", confirmation, RestartConfirmation::operator)) {
      return;
    }
    restarts.confirm(confirmation);
  }

  @Override
  public RotationStatus status() {
    RotationRequest request = rotation.request;
    return new RotationStatus(
        request == null ? null : request.rotationId(),
        request == null ? null : request.kind(),
        request == null ? null : request.initiator(),
        request == null ? List.of() : request.secrets(),
        rotation.phase,
        state(),
        gates.open(),
        gates.views(),
        escalations.pending(),
        restarts.awaited(),
        rotation.progress.all(),
        List.copyOf(rotation.versions),
        compensations.views(),
        List.copyOf(rotation.refusals),
        rotation.timeline.entries(),
        failure,
        rotation.initiator == null ? null : rotation.initiator.how(),
        rotation.preflight);
  }

  private RotationState state() {
    if (endState != null) {
      return endState;
    }
    return escalations
        .state()
        .orElseGet(
            () -> {
              if (gates.open() != null) {
                return RotationState.AWAITING_APPROVAL;
              }
              if (!restarts.awaited().isEmpty()) {
                return RotationState.AWAITING_RESTART;
              }
              if (rotation.compensating) {
                return RotationState.COMPENSATING;
              }
              return escalations.haltRequested() ? RotationState.HALTED : RotationState.RUNNING;
            });
  }

  // ---- small helpers --------------------------------------------------------------------------

  private void phase(Phase next, Supplier<String> body) {
    escalations.awaitNotHalted();
    rotation.phase = next;
    log.info("rotation {} entered {}", rotation.rotationId(), next);
    int seq = rotation.timeline.start(next, null);
    rotation.saveTimeline();
    String detail;
    try {
      detail = body.get();
    } catch (TemporalFailure failed) {
      rotation.timeline.end(seq, TimelineOutcome.FAILED, Failures.describe(failed));
      rotation.saveTimeline();
      throw failed;
    }
    rotation.timeline.end(seq, TimelineOutcome.SUCCEEDED, detail);
    rotation.saveTimeline();
  }

  private void skip(Phase next, String reason) {
    escalations.awaitNotHalted();
    rotation.phase = next;
    log.info("rotation {} skipped {}: {}", rotation.rotationId(), next, reason);
    rotation.event(TimelineOutcome.SKIPPED, SYSTEM_ACTOR, reason);
    rotation.saveTimeline();
  }

  /** {@link #untilDecided(Supplier, List, Predicate)} for any failure. */
  private <T> T untilDecided(Supplier<T> step, List<ResumeAction> allowed) {
    return untilDecided(step, allowed, type -> true);
  }

  /**
   * Runs {@code step}; when it fails with a type {@code needsHuman} accepts, escalates and waits
   * for a human: RETRY runs it again, ROLLBACK fails the rotation (with the compensations). Other
   * failures are rethrown.
   */
  private <T> T untilDecided(
      Supplier<T> step, List<ResumeAction> allowed, Predicate<String> needsHuman) {
    while (true) {
      try {
        return step.get();
      } catch (ActivityFailure failed) {
        boolean cancelled =
            failed.getCause() instanceof CanceledFailure
                || CancellationScope.current().isCancelRequested();
        if (cancelled || !needsHuman.test(Failures.type(failed))) {
          throw failed;
        }
        Resume answer =
            escalations.ask(
                rotation.phase + " failed: " + Failures.describe(failed),
                allowed,
                List.of(),
                "step-failed");
        if (answer.action() != ResumeAction.RETRY) {
          throw RotationErrors.ROLLED_BACK_BY_OPERATOR.failure(
              "rolled back by " + answer.actor() + ": " + answer.comment(), failed);
        }
      }
    }
  }

  private void recordCloseQuietly(RotationState state) {
    try {
      rotation.activities.audit.recordClose(closeRecord(state, null, 0, failure));
    } catch (TemporalFailure notRecorded) {
      log.warn(
          "outcome of {} not recorded: {}", rotation.rotationId(), Failures.describe(notRecorded));
    }
  }

  /**
   * Files the incident, and the next routine rotation's ticket when it completed, with the tracker.
   * Rotations that ended before the tracker existed replay without it; a tracker that does not take
   * it becomes a timeline entry and the rotation ends as it would.
   */
  private void fileIncident(RotationState state, Instant nextDue, List<String> skipped) {
    if (Workflow.getVersion(INCIDENT_TRACKER, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return;
    }
    RotationRequest request = rotation.request;
    List<String> secrets = request.secrets();
    try {
      rotation.activities.tracker.fileIncident(
          new Incident(
              request.rotationId(),
              request.kind(),
              request.initiator(),
              request.reason(),
              state,
              Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()),
              RotationContext.now(),
              secrets,
              FollowUps.versions(rotation.versions),
              gates.approvers(),
              List.copyOf(rotation.validations),
              FollowUps.of(rotation, state, nextDue, skipped),
              failure,
              nextDue == null
                  ? null
                  : new NextRotationTicket(
                      nextDue, secrets, List.of(FollowUps.REGENERATE_TICKETS))));
    } catch (TemporalFailure notFiled) {
      rotation.event(
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "incident not filed with the tracker: " + Failures.describe(notFiled));
    }
  }

  private RotationClose closeRecord(
      RotationState state, Instant nextDue, long reencrypted, String failureText) {
    return new RotationClose(
        rotation.rotationId(),
        state,
        RotationContext.now(),
        List.copyOf(rotation.versions),
        gates.approvers(),
        List.copyOf(rotation.validations),
        reencrypted,
        nextDue,
        failureText);
  }

  /**
   * Starts the secret's durable-timer routine schedule (a server without Temporal Schedules), or
   * moves the date of the one that runs. A schedule that ends between the two attempts (its
   * rotation just completed) is started afresh.
   */
  private void scheduleRoutineRotation(RoutineSchedule schedule) {
    String workflowId = RoutineRotationWorkflow.workflowId(schedule.secret());
    for (int attempt = 1; ; attempt++) {
      RoutineRotationWorkflow timer =
          Workflow.newChildWorkflowStub(
              RoutineRotationWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(workflowId)
                  .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                  .build());
      Async.procedure(timer::run, schedule);
      try {
        Workflow.getWorkflowExecution(timer).get();
        return;
      } catch (ChildWorkflowFailure alreadyRunning) {
        try {
          Workflow.newExternalWorkflowStub(RoutineRotationWorkflow.class, workflowId)
              .reschedule(schedule);
          return;
        } catch (ApplicationFailure ended) {
          if (attempt == 2) {
            throw ended;
          }
        }
      }
    }
  }

  private List<DeploymentPlan> rolledOut() {
    return rotation.plan.deployments().stream()
        .filter(d -> d.target() != DeploymentTargetType.NONE)
        .toList();
  }

  private List<NewVersion> versionsReadBy(DeploymentPlan deployment) {
    return rotation.versions.stream()
        .filter(v -> deployment.secrets().contains(v.secret()))
        .toList();
  }

  private List<DataSetPlan> dataSetsOf(String secret) {
    return rotation.plan.dataSets().stream().filter(d -> d.secret().equals(secret)).toList();
  }
}
