package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.AuditActivities.RotationClose;
import io.breakglass.workflows.activities.AuditActivities.RotationRecord;
import io.breakglass.workflows.activities.AuditActivities.TimelineBatch;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import io.breakglass.workflows.activities.DeploymentActivities.DeploymentRequest;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartRequest;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Notice;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.activities.PlanActivities.PlanRequest;
import io.breakglass.workflows.activities.SecretActivities.VersionRequest;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.activities.VerificationActivities.ScanRequest;
import io.breakglass.workflows.activities.VerificationActivities.SmokeReport;
import io.breakglass.workflows.activities.VerificationActivities.SmokeTestRequest;
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
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.Refusal;
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
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.SecretPlan;
import io.breakglass.workflows.messages.values.TimelineEntry;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * {@link RotationWorkflow}: the runbook, phase by phase. Deterministic: workflow time, workflow
 * threads and activities only.
 */
public class RotationWorkflowImpl implements RotationWorkflow {

  private static final Logger log = Workflow.getLogger(RotationWorkflowImpl.class);

  /** How long a halt waits between checks when no escalation interval is known yet. */
  private static final Duration DEFAULT_ESCALATION_INTERVAL = Duration.ofHours(1);

  /** How many problem items a dry-run scan lists by id. */
  private static final int LISTED_PROBLEMS = 50;

  /**
   * CREATE_VERSION failures a human can fix and retry (clear a stale PENDING, supply the API key);
   * any other failure there rolls back at once.
   */
  private static final Set<String> NEEDS_A_HUMAN_AT_CREATE =
      Set.of(RotationErrors.STALE_PENDING.name(), RotationErrors.OPERATOR_VALUE_MISSING.name());

  private static final List<ResumeAction> DATA_FAILURE_ACTIONS =
      List.of(ResumeAction.RETRY, ResumeAction.ROLLBACK, ResumeAction.RESTORE_AND_ROLLBACK);

  private final RotationRequest request;
  private final RotationActivities activities = new RotationActivities();
  private final Timeline timeline = new Timeline();
  private final Compensations compensations = new Compensations();
  private final HumanDecisions decisions = new HumanDecisions();
  private final List<ApprovalGate> gates = new ArrayList<>();
  private final List<Refusal> refusals = new ArrayList<>();
  private final Map<String, DataSetProgress> progress = new LinkedHashMap<>();
  private final ReencryptionFanOut fanOut;
  private final Set<String> restartsAwaited = new LinkedHashSet<>();
  private final Map<String, RestartConfirmation> restartReports = new HashMap<>();
  private final List<NewVersion> versions = new ArrayList<>();
  private final Map<String, BackupRecord> backups = new LinkedHashMap<>();
  private final Map<String, KeyringSpec> keyrings = new LinkedHashMap<>();
  private final List<String> validations = new ArrayList<>();

  private RotationPlan plan;
  private Phase phase = Phase.PLAN;
  private ApprovalGate openGate;
  private boolean compensating;
  private RotationState endState;
  private String failure;
  private Halt halt;
  private int haltQuestion;
  private int notices;
  private long itemsReencrypted;

  @WorkflowInit
  public RotationWorkflowImpl(RotationRequest request) {
    this.request = request;
    this.fanOut =
        new ReencryptionFanOut(activities.reencrypt, this::awaitNotHalted, progress);
  }

  @Override
  public RotationResult rotate(RotationRequest ignored) {
    try {
      RequestRules.check(request, Workflow.getInfo().getWorkflowId());
    } catch (ApplicationFailure invalid) {
      endState = RotationState.FAILED;
      failure = Failures.describe(invalid);
      throw invalid;
    }
    try {
      runUpToRevokeGate();
    } catch (TemporalFailure cause) {
      throw rollBack(cause);
    }
    // The revoke gate is the point of no return: nothing is rolled back after it.
    compensations.release();
    revoke();
    RotationResult result = close();
    Workflow.await(Workflow::isEveryHandlerFinished);
    return result;
  }

  private void runUpToRevokeGate() {
    phase(Phase.PLAN, this::plan);
    phase(Phase.NOTIFY, this::notifyStart);
    if (plan.dataSets().isEmpty()) {
      skip(Phase.BACKUP, "no data set is encrypted under the rotated secrets");
    } else {
      phase(Phase.BACKUP, this::backup);
    }
    gate(GateName.PROCEED);
    phase(Phase.CREATE_VERSION, this::createVersions);
    if (rolledOut().isEmpty()) {
      skip(Phase.DISTRIBUTE, "no deployment with a rollout target reads the rotated secrets");
      phase(Phase.PROMOTE, this::promote);
    } else {
      phase(Phase.DISTRIBUTE, this::distribute);
      phase(Phase.PROMOTE, this::promote);
    }
    reencryptAndVerify();
    phase(Phase.SMOKE_TEST, this::smokeTest);
    skip(Phase.METRIC_WATCH, plan.metricWatchSkipReason());
    gate(GateName.REVOKE);
  }

  // ---- phases -------------------------------------------------------------------------------

  private String plan() {
    activities.audit.recordStart(
        new RotationRecord(
            request.rotationId(),
            Workflow.getInfo().getWorkflowId(),
            request.kind(),
            request.initiator(),
            request.reason(),
            request.secrets(),
            now()));
    plan =
        activities.plan.plan(
            new PlanRequest(
                request.rotationId(),
                request.secrets(),
                request.kind(),
                request.requiredApprovals(),
                request.gateTimeout()));
    long items = plan.dataSets().stream().mapToLong(DataSetPlan::itemCount).sum();
    int shards = plan.dataSets().stream().mapToInt(d -> d.shards().size()).sum();
    return plan.secrets().size()
        + " secret(s), "
        + plan.dataSets().size()
        + " data set(s) with "
        + items
        + " item(s) in "
        + shards
        + " shard(s), "
        + plan.deployments().size()
        + " deployment(s); "
        + plan.policy().requiredApprovals()
        + " approval(s) per gate";
  }

  private String notifyStart() {
    notifySafely(
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
    for (DataSetPlan dataSet : plan.dataSets()) {
      running.put(
          dataSet.name(),
          Async.function(
              activities.backups::backup,
              new BackupRequest(request.rotationId(), dataSet.name())));
    }
    long items = 0;
    for (Map.Entry<String, Promise<BackupRecord>> entry : running.entrySet()) {
      BackupRecord record = entry.getValue().get();
      backups.put(entry.getKey(), record);
      items += record.items();
      validations.add(
          "backup "
              + record.backupId()
              + ": "
              + record.items()
              + " items, sha256 "
              + record.sha256()
              + ", "
              + record.sampleVerified()
              + " sample items restored and decrypted");
    }
    return backups.size() + " backup(s) of " + items + " item(s), each verified by a sample restore";
  }

  private String createVersions() {
    for (SecretPlan secret : plan.secrets()) {
      String versionId = VersionIds.forRotation(request.rotationId(), secret.name());
      VersionRequest version = new VersionRequest(request.rotationId(), secret.name(), versionId);
      compensations.register(
          Phase.CREATE_VERSION,
          "discard version " + versionId + " of " + secret.name(),
          () -> activities.secrets.discardVersion(version));
      versions.add(
          untilDecided(
              () -> activities.secrets.createVersion(version),
              List.of(ResumeAction.RETRY, ResumeAction.ROLLBACK),
              NEEDS_A_HUMAN_AT_CREATE::contains));
    }
    return versions.stream()
        .map(v -> v.secret() + " " + v.versionId() + " (PENDING)")
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private String distribute() {
    for (DeploymentPlan deployment : plan.deployments()) {
      if (deployment.target() == DeploymentTargetType.NONE) {
        timeline.event(
            phase,
            TimelineOutcome.SKIPPED,
            SYSTEM_ACTOR,
            deployment.name() + ": target none, nothing to roll out");
        continue;
      }
      List<NewVersion> read = versionsReadBy(deployment);
      KeyringSpec before =
          Keyrings.rotatedEntries(
              activities.deployments.readKeyring(
                  new DeploymentRequest(request.rotationId(), deployment.name())),
              read);
      KeyringSpec distributed = Keyrings.distributed(before, read);
      compensations.register(
          Phase.DISTRIBUTE,
          "restore the keyring of " + deployment.name() + " without the new versions, restart",
          () -> {
            activities.deployments.publishKeyring(before);
            restart(deployment, "rollback: new versions removed from the keyring");
          });
      activities.deployments.publishKeyring(distributed);
      restart(deployment, "DISTRIBUTE: new versions can decrypt, old ones stay primary");
      keyrings.put(deployment.name(), distributed);
    }
    return "new versions decrypt-only in " + keyrings.size() + " deployment(s)";
  }

  private String promote() {
    for (NewVersion version : versions) {
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
            () -> reverseReencrypt(dataSet, version));
      }
      compensations.register(
          Phase.PROMOTE,
          "move CURRENT of " + version.secret() + " back to " + version.replacedVersionId(),
          () -> activities.secrets.restoreLabels(version));
      activities.secrets.promote(
          new VersionRequest(request.rotationId(), version.secret(), version.versionId()));
    }
    for (DeploymentPlan deployment : rolledOut()) {
      KeyringSpec distributed = keyrings.get(deployment.name());
      KeyringSpec promoted = Keyrings.promoted(distributed, versionsReadBy(deployment));
      compensations.register(
          Phase.PROMOTE,
          "make the old versions primary again in " + deployment.name() + ", restart",
          () -> {
            activities.deployments.publishKeyring(distributed);
            restart(deployment, "rollback: old versions primary again");
          });
      activities.deployments.publishKeyring(promoted);
      restart(deployment, "PROMOTE: new versions primary, old ones decrypt-only");
      keyrings.put(deployment.name(), promoted);
    }
    return versions.size() + " version(s) CURRENT, primary in " + keyrings.size() + " deployment(s)";
  }

  /**
   * REENCRYPT then VERIFY_DATA, data set by data set. A failure of either halts the data sets
   * concerned for a human decision: retry, roll back, or restore from the backup and roll back.
   */
  private void reencryptAndVerify() {
    if (plan.dataSets().isEmpty()) {
      skip(Phase.REENCRYPT, "no data set is encrypted under the rotated secrets");
      skip(Phase.VERIFY_DATA, "no data set is encrypted under the rotated secrets");
      return;
    }
    List<DataSetPlan> todo = plan.dataSets();
    while (!todo.isEmpty()) {
      Map<String, String> failed = reencrypt(todo);
      if (!failed.isEmpty()) {
        todo = decideOnDataFailure(failed);
        continue;
      }
      failed = verifyData(todo);
      todo = failed.isEmpty() ? List.of() : decideOnDataFailure(failed);
    }
  }

  /** Runs the REENCRYPT phase for {@code dataSets}; returns the ones that failed, with why. */
  private Map<String, String> reencrypt(List<DataSetPlan> dataSets) {
    awaitNotHalted();
    phase = Phase.REENCRYPT;
    int seq = timeline.start(phase, dataSets.size() + " data set(s)");
    saveTimeline();
    Map<String, Promise<ReencryptionFanOut.Outcome>> running = new LinkedHashMap<>();
    for (DataSetPlan dataSet : dataSets) {
      NewVersion version = versionOf(dataSet.secret());
      running.put(
          dataSet.name(),
          fanOut.start(request.rotationId(), dataSet, version.versionId(), List.of()));
    }
    Map<String, String> failed = new LinkedHashMap<>();
    RuntimeException stop = null;
    long reencrypted = 0;
    for (Promise<ReencryptionFanOut.Outcome> promise : running.values()) {
      ReencryptionFanOut.Outcome outcome = promise.get();
      reencrypted += outcome.reencrypted();
      itemsReencrypted += outcome.reencrypted();
      if (!outcome.succeeded()) {
        failed.put(outcome.dataSet(), Failures.describe(outcome.failure()));
        if (!isDataFailure(outcome.failure())) {
          stop = outcome.failure();
        }
      }
    }
    if (stop != null || !failed.isEmpty()) {
      timeline.end(seq, TimelineOutcome.FAILED, "failed: " + failed);
      saveTimeline();
      if (stop != null) {
        throw stop;
      }
      return failed;
    }
    timeline.end(seq, TimelineOutcome.SUCCEEDED, reencrypted + " item(s) re-encrypted");
    saveTimeline();
    return failed;
  }

  /** Runs VERIFY_DATA for {@code dataSets}; returns the ones that are not clean, with why. */
  private Map<String, String> verifyData(List<DataSetPlan> dataSets) {
    awaitNotHalted();
    phase = Phase.VERIFY_DATA;
    int seq = timeline.start(phase, dataSets.size() + " data set(s)");
    saveTimeline();
    Map<String, Promise<ScanReport>> scans = new LinkedHashMap<>();
    for (DataSetPlan dataSet : dataSets) {
      scans.put(
          dataSet.name(),
          Async.function(
              activities.verification::scan,
              new ScanRequest(request.rotationId(), dataSet.name(), LISTED_PROBLEMS)));
    }
    Map<String, String> failed = new LinkedHashMap<>();
    long verified = 0;
    for (DataSetPlan dataSet : dataSets) {
      ScanReport report = scans.get(dataSet.name()).get();
      String newKeyId = versionOf(dataSet.secret()).newKeyId();
      long underOtherKeys = report.items() - report.itemsUnder(newKeyId) - report.undecryptable();
      validations.add(
          "verify "
              + dataSet.name()
              + ": "
              + report.itemsUnder(newKeyId)
              + " of "
              + report.items()
              + " item(s) under "
              + newKeyId
              + ", "
              + underOtherKeys
              + " under other keys, "
              + report.undecryptable()
              + " undecryptable");
      if (underOtherKeys > 0 || report.undecryptable() > 0) {
        failed.put(
            dataSet.name(),
            RotationErrors.VERIFICATION_FAILED.name()
                + ": "
                + underOtherKeys
                + " item(s) under other keys, "
                + report.undecryptable()
                + " undecryptable");
      } else {
        verified += report.items();
      }
    }
    if (failed.isEmpty()) {
      timeline.end(
          seq, TimelineOutcome.SUCCEEDED, verified + " item(s) all under the new key ids");
    } else {
      timeline.end(seq, TimelineOutcome.FAILED, "not clean: " + failed);
    }
    saveTimeline();
    return failed;
  }

  private String smokeTest() {
    List<String> dataSets = plan.dataSets().stream().map(DataSetPlan::name).toList();
    SmokeReport report =
        activities.verification.smokeTest(
            new SmokeTestRequest(request.rotationId(), List.copyOf(versions), dataSets));
    for (CheckResult check : report.checks()) {
      validations.add(
          "smoke " + check.name() + ": " + (check.passed() ? "passed" : "FAILED") + " " + check.detail());
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
          for (NewVersion version : versions) {
            untilDecided(
                () -> {
                  activities.secrets.revoke(
                      new VersionRequest(
                          request.rotationId(), version.secret(), version.replacedVersionId()));
                  return null;
                },
                List.of(ResumeAction.RETRY));
          }
          for (DeploymentPlan deployment : rolledOut()) {
            KeyringSpec revoked =
                Keyrings.revoked(keyrings.get(deployment.name()), versionsReadBy(deployment));
            untilDecided(
                () -> {
                  activities.deployments.publishKeyring(revoked);
                  restart(deployment, "REVOKE: old versions removed from the keyring");
                  return null;
                },
                List.of(ResumeAction.RETRY));
            keyrings.put(deployment.name(), revoked);
          }
          return versions.size() + " old version(s) revoked";
        });
  }

  private RotationResult close() {
    Instant due = now().plus(plan.nextRotationAfter());
    long reencrypted = itemsReencrypted;
    phase(
        Phase.CLOSE,
        () -> {
          untilDecided(
              () -> {
                activities.audit.recordClose(
                    closeRecord(RotationState.COMPLETED, due, reencrypted, null));
                return null;
              },
              List.of(ResumeAction.RETRY));
          for (NewVersion version : versions) {
            scheduleRoutineRotation(new RoutineSchedule(version.secret(), due, request.rotationId()));
          }
          notifySafely(
              "completed",
              List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER, Audience.CUSTOMER_SUCCESS),
              Severity.INFO,
              "rotation "
                  + request.rotationId()
                  + " completed: "
                  + reencrypted
                  + " item(s) re-encrypted, old versions revoked; next routine rotation due "
                  + due);
          return "incident timeline recorded; next routine rotation due " + due;
        });
    endState = RotationState.COMPLETED;
    return new RotationResult(
        request.rotationId(), List.copyOf(versions), reencrypted, 0, due, timeline.entries());
  }

  // ---- gates, restarts, halts and human decisions ---------------------------------------------

  private void gate(GateName name) {
    awaitNotHalted();
    phase = name.phase();
    Duration timeout = plan.policy().gateTimeout();
    int required = plan.policy().requiredApprovals();
    int seq = timeline.start(phase, "waiting for " + required + " approval(s)");
    ApprovalGate gate =
        new ApprovalGate(name, required, request.initiator(), now(), now().plus(timeout));
    gates.add(gate);
    openGate = gate;
    saveTimeline();
    notifySafely(
        "gate-" + name.name().toLowerCase() + "-open",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.WARNING,
        "rotation "
            + request.rotationId()
            + " waits at gate "
            + name
            + " for "
            + required
            + " approval(s) from people other than "
            + request.initiator()
            + ", until "
            + now().plus(timeout));
    boolean decided;
    try {
      decided = Workflow.await(timeout, () -> !gate.isOpen());
    } finally {
      openGate = null;
    }
    if (!decided) {
      gate.timeOut();
      timeline.end(seq, TimelineOutcome.TIMED_OUT, "no decision within " + timeout);
      notifySafely(
          "gate-" + name.name().toLowerCase() + "-timed-out",
          List.of(Audience.ESCALATION, Audience.ON_CALL),
          Severity.CRITICAL,
          "rotation "
              + request.rotationId()
              + ": gate "
              + name
              + " got no decision within "
              + timeout
              + "; rolling back");
      saveTimeline();
      throw RotationErrors.GATE_TIMED_OUT.failure(
          "gate " + name + " got no decision within " + timeout);
    }
    GateView view = gate.view();
    if (!gate.isApproved()) {
      timeline.end(
          seq, TimelineOutcome.REJECTED, "rejected by " + view.decidedBy() + ": " + view.reason());
      saveTimeline();
      throw RotationErrors.GATE_REJECTED.failure(
          "gate " + name + " rejected by " + view.decidedBy() + ": " + view.reason());
    }
    timeline.end(
        seq, TimelineOutcome.APPROVED, "approved by " + String.join(", ", gate.approvers()));
    saveTimeline();
  }

  private void restart(DeploymentPlan deployment, String reason) {
    String name = deployment.name();
    restartsAwaited.add(name);
    RestartOutcome outcome;
    try {
      outcome =
          activities.deployments.restart(new RestartRequest(request.rotationId(), name, reason));
    } catch (TemporalFailure failed) {
      restartsAwaited.remove(name);
      throw failed;
    }
    switch (outcome.status()) {
      case COMPLETED -> {
        restartsAwaited.remove(name);
        timeline.event(phase, TimelineOutcome.SUCCEEDED, SYSTEM_ACTOR, outcome.detail());
      }
      case AWAITING_OPERATOR -> awaitRestartReport(name);
    }
  }

  private void awaitRestartReport(String deployment) {
    Duration timeout = plan.policy().restartTimeout();
    boolean reported;
    try {
      reported = Workflow.await(timeout, () -> restartReports.containsKey(deployment));
    } finally {
      restartsAwaited.remove(deployment);
    }
    RestartConfirmation report = restartReports.remove(deployment);
    if (!reported) {
      throw RotationErrors.RESTART_FAILED.failure(
          "no operator confirmed the restart of " + deployment + " within " + timeout);
    }
    if (!report.ready()) {
      throw RotationErrors.RESTART_FAILED.failure(
          report.operator() + " reports " + deployment + " not ready: " + report.comment());
    }
  }

  /** Blocks while a halt is in force; throws when the operator chooses to roll back instead. */
  private void awaitNotHalted() {
    while (halt != null) {
      if (haltQuestion == 0) {
        List<ResumeAction> allowed =
            compensating
                ? List.of(ResumeAction.CONTINUE)
                : List.of(ResumeAction.CONTINUE, ResumeAction.ROLLBACK);
        haltQuestion =
            decisions.open(
                new PendingDecision(
                    "halted by " + halt.actor() + ": " + halt.reason(), allowed, now(), List.of()));
      }
      int question = haltQuestion;
      Resume answer = decisions.await(question, escalationInterval(), null);
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
        if (isCancelled(failed) || !needsHuman.test(Failures.type(failed))) {
          throw failed;
        }
        Resume answer =
            askHuman(
                phase + " failed: " + Failures.describe(failed), allowed, List.of(), "step-failed");
        if (answer.action() != ResumeAction.RETRY) {
          throw RotationErrors.ROLLED_BACK_BY_OPERATOR.failure(
              "rolled back by " + answer.actor() + ": " + answer.comment(), failed);
        }
      }
    }
  }

  /**
   * The runbook's contingency: list the corrupt items with a dry-run scan, escalate, and wait for a
   * decision. Returns the data sets to retry; throws to roll back.
   */
  private List<DataSetPlan> decideOnDataFailure(Map<String, String> failed) {
    List<String> items = new ArrayList<>();
    StringBuilder reason = new StringBuilder(phase + " failed for " + failed.size() + " data set(s)");
    for (Map.Entry<String, String> entry : failed.entrySet()) {
      ScanReport scan =
          activities.verification.scan(
              new ScanRequest(request.rotationId(), entry.getKey(), LISTED_PROBLEMS));
      reason
          .append("; ")
          .append(entry.getKey())
          .append(": ")
          .append(entry.getValue())
          .append(" (dry-run scan: ")
          .append(scan.undecryptable())
          .append(" undecryptable of ")
          .append(scan.items())
          .append(")");
      scan.problems().forEach(problem -> items.add(entry.getKey() + " " + problem));
    }
    Resume answer = askHuman(reason.toString(), DATA_FAILURE_ACTIONS, items, "data-failure");
    if (answer.action() == ResumeAction.RETRY) {
      return plan.dataSets().stream().filter(d -> failed.containsKey(d.name())).toList();
    }
    if (answer.action() == ResumeAction.RESTORE_AND_ROLLBACK) {
      for (String dataSet : failed.keySet()) {
        BackupRecord backup = backups.get(dataSet);
        RestoreResult restored =
            activities.backups.restoreUndecryptable(
                new RestoreRequest(request.rotationId(), dataSet, backup.backupId()));
        timeline.event(
            phase,
            TimelineOutcome.SUCCEEDED,
            answer.actor(),
            "restored "
                + restored.restored()
                + " item(s) of "
                + dataSet
                + " from backup "
                + backup.backupId()
                + "; "
                + restored.stillUndecryptable()
                + " still undecryptable");
      }
    }
    throw RotationErrors.ROLLED_BACK_BY_OPERATOR.failure(
        answer.action() + " chosen by " + answer.actor() + " after: " + reason);
  }

  /** Escalates and waits for a {@code resume}; reminds the escalation contacts while it waits. */
  private Resume askHuman(
      String reason, List<ResumeAction> allowed, List<String> items, String event) {
    int n = ++notices;
    String id = event + "-" + n;
    String summary =
        "rotation "
            + request.rotationId()
            + " needs a decision ("
            + allowed
            + "): "
            + reason
            + (items.isEmpty() ? "" : "; items: " + items);
    timeline.event(phase, TimelineOutcome.ESCALATED, SYSTEM_ACTOR, reason);
    notifySafely(id, List.of(Audience.ESCALATION, Audience.ON_CALL), Severity.CRITICAL, summary);
    saveTimeline();
    int question = decisions.open(new PendingDecision(reason, allowed, now(), items));
    int[] reminders = {0};
    return decisions.await(
        question,
        escalationInterval(),
        () ->
            notifySafely(
                id + "-reminder-" + ++reminders[0],
                List.of(Audience.ESCALATION),
                Severity.CRITICAL,
                "still waiting: " + summary));
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
              compensating = true;
              timeline.event(
                  phase, TimelineOutcome.FAILED, SYSTEM_ACTOR, "rolling back after " + failure);
              saveTimeline();
              skipped.addAll(compensations.runAll(new Supervisor()));
              compensating = false;
              endState = skipped.isEmpty() ? RotationState.ROLLED_BACK : RotationState.FAILED;
              timeline.event(
                  phase,
                  skipped.isEmpty() ? TimelineOutcome.COMPENSATED : TimelineOutcome.FAILED,
                  SYSTEM_ACTOR,
                  skipped.isEmpty()
                      ? "every compensation ran; the system is back on the old versions"
                      : "compensations skipped, manual repair needed: " + skipped);
              recordCloseQuietly(endState);
              notifySafely(
                  endState == RotationState.ROLLED_BACK ? "rolled-back" : "failed",
                  List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER, Audience.ESCALATION),
                  Severity.CRITICAL,
                  "rotation " + request.rotationId() + " " + endState + ": " + failure);
              saveTimeline();
            })
        .run();
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
      awaitNotHalted();
    }

    @Override
    public ResumeAction onFailure(CompensationView step, TemporalFailure failed) {
      Resume answer =
          askHuman(
              "compensation " + step.order() + " (" + step.description() + ") keeps failing: "
                  + step.error(),
              List.of(ResumeAction.RETRY, ResumeAction.SKIP_STEP),
              List.of(),
              "compensation-failed");
      return answer.action();
    }

    @Override
    public void onUndone(CompensationView step) {
      timeline.event(phase, TimelineOutcome.COMPENSATED, SYSTEM_ACTOR, step.description());
      saveTimeline();
    }
  }

  private void reverseReencrypt(DataSetPlan dataSet, NewVersion version) {
    ReencryptionFanOut.Outcome outcome =
        fanOut
            .start(
                request.rotationId(),
                dataSet,
                version.replacedVersionId(),
                List.of(version.versionId()))
            .get();
    if (!outcome.succeeded()) {
      throw outcome.failure();
    }
    timeline.event(
        phase,
        TimelineOutcome.COMPENSATED,
        SYSTEM_ACTOR,
        outcome.reencrypted() + " item(s) of " + dataSet.name() + " back under " + version.oldKeyId());
  }

  // ---- signals, update and query --------------------------------------------------------------

  @Override
  public void approve(Approval approval) {
    decideGate("approve", approval.gate(), Verdict.APPROVE, approval.approver(), approval.comment());
  }

  @Override
  public void reject(Rejection rejection) {
    decideGate("reject", rejection.gate(), Verdict.REJECT, rejection.approver(), rejection.reason());
  }

  @Override
  public GateView decide(GateDecision decision) {
    gateRefusal(decision.gate(), decision.verdict(), decision.actor())
        .ifPresent(
            reason -> {
              throw RotationErrors.DECISION_REFUSED.failure(reason);
            });
    ApprovalGate gate = openGate;
    apply(decision.verdict(), decision.actor(), decision.comment());
    return gate.view();
  }

  @Override
  public void validateDecide(GateDecision decision) {
    if (decision == null) {
      throw RotationErrors.DECISION_REFUSED.failure("the decision is missing");
    }
    gateRefusal(decision.gate(), decision.verdict(), decision.actor())
        .ifPresent(
            reason -> {
              throw RotationErrors.DECISION_REFUSED.failure(reason);
            });
  }

  @Override
  public void halt(Halt request) {
    String actor = request.actor();
    if (actor == null || actor.isBlank()) {
      refuse("halt", actor, "a halt needs the name of who halts");
    } else if (endState != null) {
      refuse("halt", actor, "the rotation has ended");
    } else if (halt != null) {
      refuse("halt", actor, "already halted by " + halt.actor());
    } else {
      halt = request;
      timeline.event(phase, TimelineOutcome.HALTED, actor, request.reason());
    }
  }

  @Override
  public void resume(Resume resume) {
    decisions
        .offer(resume)
        .ifPresentOrElse(
            reason -> refuse("resume", resume.actor(), reason),
            () ->
                timeline.event(
                    phase,
                    TimelineOutcome.RESUMED,
                    resume.actor(),
                    resume.action() + (resume.comment() == null ? "" : ": " + resume.comment())));
  }

  @Override
  public void confirmRestart(RestartConfirmation confirmation) {
    String deployment = confirmation.deployment();
    if (confirmation.operator() == null || confirmation.operator().isBlank()) {
      refuse("confirmRestart", confirmation.operator(), "a confirmation needs the operator's name");
    } else if (!restartsAwaited.contains(deployment)) {
      refuse("confirmRestart", confirmation.operator(), "no restart of " + deployment + " is awaited");
    } else {
      restartReports.put(deployment, confirmation);
      timeline.event(
          phase,
          confirmation.ready() ? TimelineOutcome.CONFIRMED : TimelineOutcome.FAILED,
          confirmation.operator(),
          deployment + (confirmation.ready() ? " ready" : " NOT ready") + ": " + confirmation.comment());
    }
  }

  @Override
  public RotationStatus status() {
    return new RotationStatus(
        request == null ? null : request.rotationId(),
        request == null ? null : request.kind(),
        request == null ? null : request.initiator(),
        request == null ? List.of() : request.secrets(),
        phase,
        state(),
        openGate == null ? null : openGate.view(),
        gates.stream().map(ApprovalGate::view).toList(),
        decisions.pending(),
        List.copyOf(restartsAwaited),
        List.copyOf(progress.values()),
        List.copyOf(versions),
        compensations.views(),
        List.copyOf(refusals),
        timeline.entries(),
        failure);
  }

  private RotationState state() {
    if (endState != null) {
      return endState;
    }
    if (decisions.pending() != null) {
      return haltQuestion != 0 && decisions.openId() == haltQuestion
          ? RotationState.HALTED
          : RotationState.AWAITING_DECISION;
    }
    if (openGate != null) {
      return RotationState.AWAITING_APPROVAL;
    }
    if (!restartsAwaited.isEmpty()) {
      return RotationState.AWAITING_RESTART;
    }
    if (compensating) {
      return RotationState.COMPENSATING;
    }
    return halt != null ? RotationState.HALTED : RotationState.RUNNING;
  }

  private Optional<String> gateRefusal(GateName gate, Verdict verdict, String actor) {
    if (gate == null || verdict == null) {
      return Optional.of("a decision must name the gate and the verdict");
    }
    if (openGate == null) {
      return Optional.of("no gate is open; the rotation is in phase " + phase);
    }
    return openGate.refusal(gate, verdict, actor);
  }

  private void decideGate(String signal, GateName gate, Verdict verdict, String actor, String text) {
    Optional<String> refusal = gateRefusal(gate, verdict, actor);
    if (refusal.isPresent()) {
      refuse(signal, actor, refusal.get());
      return;
    }
    apply(verdict, actor, text);
  }

  private void apply(Verdict verdict, String actor, String text) {
    if (verdict == Verdict.APPROVE) {
      openGate.approve(actor, text, now());
      timeline.event(phase, TimelineOutcome.APPROVED, actor, text);
    } else {
      openGate.reject(actor, text);
      timeline.event(phase, TimelineOutcome.REJECTED, actor, text);
    }
  }

  private void refuse(String signal, String actor, String reason) {
    String who = actor == null || actor.isBlank() ? "(anonymous)" : actor;
    refusals.add(new Refusal(now(), signal, who, reason));
    timeline.event(phase, TimelineOutcome.REFUSED, who, signal + " refused: " + reason);
  }

  // ---- small helpers --------------------------------------------------------------------------

  private void phase(Phase next, Supplier<String> body) {
    awaitNotHalted();
    phase = next;
    int seq = timeline.start(next, null);
    saveTimeline();
    String detail;
    try {
      detail = body.get();
    } catch (TemporalFailure failed) {
      timeline.end(seq, TimelineOutcome.FAILED, Failures.describe(failed));
      saveTimeline();
      throw failed;
    }
    timeline.end(seq, TimelineOutcome.SUCCEEDED, detail);
    saveTimeline();
  }

  private void skip(Phase next, String reason) {
    awaitNotHalted();
    phase = next;
    timeline.event(next, TimelineOutcome.SKIPPED, SYSTEM_ACTOR, reason);
    saveTimeline();
  }

  /** Sends the timeline entries not yet saved; a failure keeps them for the next attempt. */
  private void saveTimeline() {
    List<TimelineEntry> batch = timeline.unsaved();
    if (batch.isEmpty()) {
      return;
    }
    try {
      activities.audit.recordTimeline(new TimelineBatch(request.rotationId(), batch));
      timeline.markSaved(batch);
    } catch (TemporalFailure notSaved) {
      log.warn("timeline of {} not saved yet: {}", request.rotationId(), Failures.describe(notSaved));
    }
  }

  /** Notifications never stop a rotation: a failed one is recorded and the rotation goes on. */
  private void notifySafely(
      String event, List<Audience> audiences, Severity severity, String summary) {
    try {
      activities.notifications.notify(
          new Notice(request.rotationId(), event, audiences, severity, summary));
    } catch (TemporalFailure undelivered) {
      timeline.event(
          phase,
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "notice " + event + " not delivered: " + Failures.describe(undelivered));
    }
  }

  private void recordCloseQuietly(RotationState state) {
    try {
      activities.audit.recordClose(closeRecord(state, null, 0, failure));
    } catch (TemporalFailure notRecorded) {
      log.warn("outcome of {} not recorded: {}", request.rotationId(), Failures.describe(notRecorded));
    }
  }

  private RotationClose closeRecord(
      RotationState state, Instant nextDue, long reencrypted, String failureText) {
    Set<String> approvers = new LinkedHashSet<>();
    gates.forEach(g -> g.approvers().forEach(approvers::add));
    return new RotationClose(
        request.rotationId(),
        state,
        now(),
        List.copyOf(versions),
        List.copyOf(approvers),
        List.copyOf(validations),
        reencrypted,
        nextDue,
        failureText);
  }

  private void scheduleRoutineRotation(RoutineSchedule schedule) {
    String workflowId = RoutineRotationWorkflow.workflowId(schedule.secret());
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
    } catch (ChildWorkflowFailure alreadyRunning) {
      Workflow.newExternalWorkflowStub(RoutineRotationWorkflow.class, workflowId)
          .reschedule(schedule);
    }
  }

  private boolean isDataFailure(RuntimeException failed) {
    return failed instanceof ActivityFailure activityFailure && !isCancelled(activityFailure);
  }

  private static boolean isCancelled(ActivityFailure failed) {
    return failed.getCause() instanceof CanceledFailure
        || CancellationScope.current().isCancelRequested();
  }

  private List<DeploymentPlan> rolledOut() {
    return plan.deployments().stream()
        .filter(d -> d.target() != DeploymentTargetType.NONE)
        .toList();
  }

  private List<NewVersion> versionsReadBy(DeploymentPlan deployment) {
    return versions.stream().filter(v -> deployment.secrets().contains(v.secret())).toList();
  }

  private List<DataSetPlan> dataSetsOf(String secret) {
    return plan.dataSets().stream().filter(d -> d.secret().equals(secret)).toList();
  }

  private NewVersion versionOf(String secret) {
    return versions.stream()
        .filter(v -> v.secret().equals(secret))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no new version of " + secret));
  }

  private Duration escalationInterval() {
    return plan == null ? DEFAULT_ESCALATION_INTERVAL : plan.policy().escalationInterval();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
