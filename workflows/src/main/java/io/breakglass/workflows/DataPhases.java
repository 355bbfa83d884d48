package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.activities.VerificationActivities.ScanRequest;
import io.breakglass.workflows.messages.commands.DataSetJob;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DataSetRun;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * REENCRYPT and VERIFY_DATA, data set by data set, with the runbook's contingency: a failure of
 * either halts the data sets concerned, lists their corrupt items with a dry-run scan, escalates,
 * and waits for a decision (retry, roll back, or restore from the backup and roll back). Also the
 * reverse re-encryption that rollbacks use.
 */
final class DataPhases {

  /** How many problem items a dry-run scan lists by id. */
  private static final int LISTED_PROBLEMS = 50;

  private static final List<ResumeAction> DATA_FAILURE_ACTIONS =
      List.of(ResumeAction.RETRY, ResumeAction.ROLLBACK, ResumeAction.RESTORE_AND_ROLLBACK);

  private final RotationContext rotation;
  private final Escalations escalations;
  private long itemsReencrypted;

  DataPhases(RotationContext rotation, Escalations escalations) {
    this.rotation = rotation;
    this.escalations = escalations;
  }

  /** Runs both phases until every data set is verified clean; throws to roll back. */
  void run() {
    List<DataSetPlan> todo = rotation.plan.dataSets();
    while (!todo.isEmpty()) {
      Map<String, String> failed = reencrypt(todo);
      if (!failed.isEmpty()) {
        todo = decideOnFailure(failed);
        continue;
      }
      failed = verify(todo);
      todo = failed.isEmpty() ? List.of() : decideOnFailure(failed);
    }
  }

  /** Moves the items of {@code dataSet} under the new version back under the one it replaced. */
  void reverse(DataSetPlan dataSet, NewVersion version) {
    ChildRun outcome =
        children(List.of(job(dataSet, version.replacedVersionId(), List.of(version.versionId()))))
            .get(dataSet.name());
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
    rotation.event(
        TimelineOutcome.COMPENSATED,
        SYSTEM_ACTOR,
        outcome.run().reencrypted()
            + " item(s) of "
            + dataSet.name()
            + " back under "
            + version.oldKeyId());
  }

  /** Items moved to the new versions so far. */
  long itemsReencrypted() {
    return itemsReencrypted;
  }

  /** Runs the REENCRYPT phase for {@code dataSets}; returns the ones that failed, with why. */
  private Map<String, String> reencrypt(List<DataSetPlan> dataSets) {
    escalations.awaitNotHalted();
    rotation.phase = Phase.REENCRYPT;
    int seq = rotation.timeline.start(rotation.phase, dataSets.size() + " data set(s)");
    rotation.saveTimeline();
    List<DataSetJob> jobs = new ArrayList<>();
    for (DataSetPlan dataSet : dataSets) {
      jobs.add(job(dataSet, rotation.versionOf(dataSet.secret()).versionId(), List.of()));
    }
    Map<String, String> failed = new LinkedHashMap<>();
    RuntimeException stop = null;
    long reencrypted = 0;
    for (ChildRun outcome : children(jobs).values()) {
      if (outcome.run() != null) {
        reencrypted += outcome.run().reencrypted();
        itemsReencrypted += outcome.run().reencrypted();
      } else {
        failed.put(outcome.dataSet(), Failures.describe(outcome.failure()));
        if (!isDataFailure(outcome.failure())) {
          stop = outcome.failure();
        }
      }
    }
    if (stop != null || !failed.isEmpty()) {
      rotation.timeline.end(seq, TimelineOutcome.FAILED, "failed: " + failed);
      rotation.saveTimeline();
      if (stop != null) {
        throw stop;
      }
      return failed;
    }
    rotation.timeline.end(seq, TimelineOutcome.SUCCEEDED, reencrypted + " item(s) re-encrypted");
    rotation.saveTimeline();
    return failed;
  }

  /** Runs VERIFY_DATA for {@code dataSets}; returns the ones that are not clean, with why. */
  private Map<String, String> verify(List<DataSetPlan> dataSets) {
    escalations.awaitNotHalted();
    rotation.phase = Phase.VERIFY_DATA;
    int seq = rotation.timeline.start(rotation.phase, dataSets.size() + " data set(s)");
    rotation.saveTimeline();
    Map<String, Promise<ScanReport>> scans = new LinkedHashMap<>();
    for (DataSetPlan dataSet : dataSets) {
      scans.put(
          dataSet.name(),
          Async.function(
              rotation.activities.verification::scan,
              new ScanRequest(rotation.rotationId(), dataSet.name(), LISTED_PROBLEMS)));
    }
    Map<String, String> failed = new LinkedHashMap<>();
    long verified = 0;
    for (DataSetPlan dataSet : dataSets) {
      ScanReport report = scans.get(dataSet.name()).get();
      String newKeyId = rotation.versionOf(dataSet.secret()).newKeyId();
      long underOtherKeys = report.items() - report.itemsUnder(newKeyId) - report.undecryptable();
      rotation.validations.add(
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
      rotation.timeline.end(
          seq, TimelineOutcome.SUCCEEDED, verified + " item(s) all under the new key ids");
    } else {
      rotation.timeline.end(seq, TimelineOutcome.FAILED, "not clean: " + failed);
    }
    rotation.saveTimeline();
    return failed;
  }

  /**
   * The runbook's contingency: list the corrupt items with a dry-run scan, escalate, and wait for a
   * decision. Returns the data sets to retry; throws to roll back.
   */
  private List<DataSetPlan> decideOnFailure(Map<String, String> failed) {
    List<String> items = new ArrayList<>();
    StringBuilder reason =
        new StringBuilder(rotation.phase + " failed for " + failed.size() + " data set(s)");
    for (Map.Entry<String, String> entry : failed.entrySet()) {
      ScanReport scan =
          rotation.activities.verification.scan(
              new ScanRequest(rotation.rotationId(), entry.getKey(), LISTED_PROBLEMS));
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
    Resume answer = escalations.ask(reason.toString(), DATA_FAILURE_ACTIONS, items, "data-failure");
    if (answer.action() == ResumeAction.RETRY) {
      return rotation.plan.dataSets().stream().filter(d -> failed.containsKey(d.name())).toList();
    }
    if (answer.action() == ResumeAction.RESTORE_AND_ROLLBACK) {
      for (String dataSet : failed.keySet()) {
        BackupRecord backup = rotation.backups.get(dataSet);
        RestoreResult restored =
            rotation.activities.backups.restoreUndecryptable(
                new RestoreRequest(rotation.rotationId(), dataSet, backup.backupId()));
        rotation.event(
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

  /** How one data set's child workflow ended: its totals, or its failure. */
  private record ChildRun(String dataSet, DataSetRun run, RuntimeException failure) {}

  private DataSetJob job(DataSetPlan dataSet, String targetVersionId, List<String> sources) {
    return new DataSetJob(
        rotation.rotationId(),
        Workflow.getInfo().getWorkflowId(),
        dataSet,
        targetVersionId,
        sources,
        0,
        DataSetRun.start(dataSet.name()),
        RotationContext.now());
  }

  /**
   * Runs one child workflow per job and waits for all of them. A halt pauses the children (their
   * shards in flight finish) until the operator resumes; a rollback chosen meanwhile cancels them.
   */
  private Map<String, ChildRun> children(List<DataSetJob> jobs) {
    Map<String, Promise<DataSetRun>> running = new LinkedHashMap<>();
    List<ReencryptDataSetWorkflow> children = new ArrayList<>();
    for (DataSetJob job : jobs) {
      rotation.progress.start(job);
    }
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> {
              for (DataSetJob job : jobs) {
                String childId =
                    ReencryptDataSetWorkflow.workflowId(
                        job.rotationId(), job.dataSet().name(), job.targetVersionId());
                ReencryptDataSetWorkflow child =
                    Workflow.newChildWorkflowStub(
                        ReencryptDataSetWorkflow.class,
                        ChildWorkflowOptions.newBuilder().setWorkflowId(childId).build());
                running.put(job.dataSet().name(), Async.function(child::reencrypt, job));
                children.add(child);
              }
            });
    scope.run();
    boolean[] over = {false};
    RuntimeException[] rolledBack = {null};
    Promise<Void> watcher =
        Async.procedure(() -> rolledBack[0] = watchHalts(children, scope, () -> over[0]));
    Map<String, ChildRun> outcomes = new LinkedHashMap<>();
    for (DataSetJob job : jobs) {
      String name = job.dataSet().name();
      try {
        DataSetRun run = running.get(name).get();
        rotation.progress.finish(
            job, run, Duration.between(job.startedAt(), RotationContext.now()));
        outcomes.put(name, new ChildRun(name, run, null));
      } catch (ChildWorkflowFailure | CanceledFailure failed) {
        outcomes.put(name, new ChildRun(name, null, failed));
      }
    }
    over[0] = true;
    watcher.get();
    if (rolledBack[0] != null) {
      throw rolledBack[0];
    }
    return outcomes;
  }

  /**
   * Pauses the children while the rotation is halted. Returns the operator's rollback (after
   * cancelling the children), or null when the children finished.
   */
  private RuntimeException watchHalts(
      List<ReencryptDataSetWorkflow> children, CancellationScope scope, Supplier<Boolean> over) {
    while (true) {
      Workflow.await(() -> over.get() || escalations.haltRequested());
      if (!escalations.haltRequested()) {
        return null;
      }
      signal(children, ReencryptDataSetWorkflow::pause);
      try {
        escalations.awaitNotHalted();
      } catch (ApplicationFailure rollback) {
        scope.cancel();
        return rollback;
      }
      signal(children, ReencryptDataSetWorkflow::proceed);
    }
  }

  /** Signals every child once it has started; one that has already ended needs no signal. */
  private static void signal(
      List<ReencryptDataSetWorkflow> children, Consumer<ReencryptDataSetWorkflow> signal) {
    for (ReencryptDataSetWorkflow child : children) {
      try {
        Workflow.getWorkflowExecution(child).get();
        signal.accept(child);
      } catch (ChildWorkflowFailure | ApplicationFailure ended) {
        // did not start, or already finished: nothing left to pause
      }
    }
  }

  /** A data set that failed on its own account (not cancelled, not rolled back by an operator). */
  private static boolean isDataFailure(RuntimeException failed) {
    return failed instanceof ChildWorkflowFailure child
        && !(child.getCause() instanceof CanceledFailure)
        && !CancellationScope.current().isCancelRequested();
  }
}
