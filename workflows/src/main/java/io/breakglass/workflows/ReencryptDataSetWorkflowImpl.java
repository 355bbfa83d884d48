package io.breakglass.workflows;

import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.ReencryptActivities.ShardRequest;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import io.breakglass.workflows.messages.commands.DataSetJob;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DataSetRun;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowSemaphore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@link ReencryptDataSetWorkflow}. Shards run in a detached scope: a cancelled or failed run lets
 * the shards in flight finish their bounded work, and it returns only when none is still writing,
 * so a rollback never races a forward shard.
 */
public class ReencryptDataSetWorkflowImpl implements ReencryptDataSetWorkflow {

  private final DataSetJob job;
  private final ReencryptActivities shards;
  private final TreeSet<String> workers = new TreeSet<>();
  private int shardsDone;
  private long scanned;
  private long reencrypted;
  private long underTarget;
  private long conflicts;
  private boolean paused;
  private boolean runOver;

  @WorkflowInit
  public ReencryptDataSetWorkflowImpl(DataSetJob job) {
    this.job = job;
    this.shards = RotationActivities.shards(job.dataSet().heartbeatTimeout());
    DataSetRun done = job.done();
    shardsDone = done.shardsDone();
    scanned = done.scanned();
    reencrypted = done.reencrypted();
    underTarget = done.underTarget();
    conflicts = done.conflicts();
    workers.addAll(done.workers());
  }

  @Override
  public DataSetRun reencrypt(DataSetJob ignored) {
    DataSetPlan dataSet = job.dataSet();
    int total = dataSet.layout().shardCount();
    int end = ShardRuns.runEnd(job.firstShard(), total);
    int concurrency = Math.max(1, dataSet.concurrency());
    int shardRate =
        dataSet.itemsPerSecond() == 0 ? 0 : Math.max(1, dataSet.itemsPerSecond() / concurrency);
    Promise<Void> reporter = detached(() -> Async.procedure(this::reportProgress));
    WorkflowSemaphore slots = Workflow.newWorkflowSemaphore(concurrency);
    List<Promise<Void>> finished = new ArrayList<>();
    RuntimeException[] failure = {null};
    for (int index = job.firstShard(); index < end && failure[0] == null; index++) {
      try {
        slots.acquire();
        // Checked once a slot is free, so a pause that came while waiting still holds.
        Workflow.await(() -> !paused || failure[0] != null);
      } catch (RuntimeException stop) {
        failure[0] = stop;
      }
      if (failure[0] != null) {
        break;
      }
      ShardRequest request =
          new ShardRequest(
              job.rotationId(),
              dataSet.name(),
              dataSet.layout().shard(index),
              job.targetVersionId(),
              job.sourceVersionIds(),
              shardRate);
      Promise<ShardResult> shard = detached(() -> Async.function(shards::reencryptShard, request));
      finished.add(
          shard.handle(
              (result, error) -> {
                slots.release();
                if (error != null) {
                  if (failure[0] == null) {
                    failure[0] = error;
                  }
                } else {
                  record(result);
                }
                return null;
              }));
    }
    Promise.allOf(finished).get();
    runOver = true;
    reporter.get();
    if (failure[0] != null) {
      throw asFailure(failure[0]);
    }
    DataSetRun done = run();
    if (end < total) {
      // A fresh run every SHARDS_PER_RUN shards keeps each history short at any data set size
      // (ShardRuns: the arithmetic).
      Workflow.continueAsNew(
          new DataSetJob(
              job.rotationId(),
              job.parentWorkflowId(),
              dataSet,
              job.targetVersionId(),
              job.sourceVersionIds(),
              end,
              done,
              job.startedAt()));
    }
    return done;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void proceed() {
    paused = false;
  }

  @Override
  public DataSetProgress progress() {
    return DataSetProgress.of(
        job.dataSet(),
        job.targetVersionId(),
        run(),
        Duration.between(job.startedAt(), now()),
        false);
  }

  private void record(ShardResult result) {
    shardsDone++;
    scanned += result.scanned();
    reencrypted += result.reencrypted();
    underTarget += result.reencrypted() + result.alreadyTarget();
    conflicts += result.conflicts();
    workers.add(result.worker());
  }

  private DataSetRun run() {
    return new DataSetRun(
        job.dataSet().name(),
        shardsDone,
        scanned,
        reencrypted,
        underTarget,
        conflicts,
        List.copyOf(workers));
  }

  /**
   * Sends progress to the rotation at every hundredth of the shards, and after REPORT_EVERY when
   * shards have finished since the last report. It starts no timer until a shard has finished: a
   * timer ticking while nothing happens would grow the history with time, not with work.
   */
  private void reportProgress() {
    int step = ShardRuns.reportStep(job.dataSet().layout().shardCount());
    boolean timesOnlyWork = timesOnlyWork();
    int reported = shardsDone;
    while (true) {
      int from = reported;
      if (timesOnlyWork) {
        Workflow.await(() -> runOver || shardsDone != from);
      }
      Workflow.await(ShardRuns.REPORT_EVERY, () -> runOver || shardsDone - from >= step);
      if (shardsDone != reported || runOver) {
        reported = shardsDone;
        try {
          Workflow.newExternalWorkflowStub(RotationWorkflow.class, job.parentWorkflowId())
              .reportProgress(progress());
        } catch (ApplicationFailure rotationGone) {
          // the SDK reports a signal to a workflow that ended as a failure; it needs no progress
        }
      }
      if (runOver && (reported == shardsDone || !reportsAfterRunOver())) {
        return;
      }
    }
  }

  /**
   * Whether the reporter waits for a finished shard before its timer. Histories recorded before
   * this rule tick every REPORT_EVERY while shards run.
   */
  private static boolean timesOnlyWork() {
    return Workflow.getVersion("report-after-a-shard", Workflow.DEFAULT_VERSION, 1)
        != Workflow.DEFAULT_VERSION;
  }

  /**
   * The run can end while the last report is in flight, with shards done since: the rotation must
   * get their progress too. Histories recorded before this rule end without that report.
   */
  private static boolean reportsAfterRunOver() {
    return Workflow.getVersion("final-progress", Workflow.DEFAULT_VERSION, 1)
        != Workflow.DEFAULT_VERSION;
  }

  /** The failure this run ends with: a shard's own type and message, or the cancellation. */
  private RuntimeException asFailure(RuntimeException failure) {
    if (failure instanceof ActivityFailure && !(failure.getCause() instanceof CanceledFailure)) {
      return ApplicationFailure.newNonRetryableFailure(
          job.dataSet().name() + ": " + Failures.describe(failure), Failures.type(failure));
    }
    return failure;
  }

  private static <T> T detached(Supplier<T> start) {
    List<T> started = new ArrayList<>(1);
    Workflow.newDetachedCancellationScope(() -> started.add(start.get())).run();
    return started.get(0);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
