package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.ShardRuns;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plan of 8,500,000 rows in shards of 5,000 (1,700 shard activities, three runs of the child),
 * simulated: every history the rotation writes, the parent's and each run of the data set's child,
 * holds no more events than the shard planner's arithmetic allows it ({@link ShardRuns}, which
 * ShardRunsTest checks for every size up to 10^10 rows), stays under Temporal's 10,240-event
 * warning, and every event under the 256 KB payload limit. Three runs are enough: every run after
 * the first starts the same way, from a continue-as-new.
 */
class LargePlanTest {

  private static final long ROWS = 8_500_000L;
  private static final int SHARD_SIZE = 5_000;
  private static final int SHARDS = 1_700;
  private static final int PAYLOAD_LIMIT = 256 * 1024;

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @Test
  void aPlanOfThreeChildRuns_keepsEveryHistoryWithinThePlannersBudget_andTemporalsLimits(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    SimulatedActivities simulated = new SimulatedActivities(ROWS, SHARD_SIZE, 64);
    worker.registerActivitiesImplementations(simulated);
    env.start();

    RotationTests.start(
        client, options, RotationTests.emergency("large", SimulatedActivities.SECRET));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "large")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(10));
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(simulated.shardsRun.get()).isEqualTo(SHARDS);
    assertThat(end.progress())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.itemsDone()).isEqualTo(ROWS);
              assertThat(p.shardsDone()).isEqualTo(SHARDS);
            });

    List<WorkflowExecutionHistory> runs = new ArrayList<>();
    WorkflowExecutionHistory parent =
        client.fetchHistory(io.breakglass.workflows.RotationWorkflow.workflowId("large"));
    runs.add(parent);
    List<WorkflowExecutionHistory> children =
        RotationHistories.childRuns(
            client, "large", SimulatedActivities.DATA_SET, SimulatedActivities.SECRET);
    runs.addAll(children);
    assertThat(children).as("runs of 800, 800 and 100 shards").hasSize(3);
    int first = 0;
    long ticks = 0;
    for (WorkflowExecutionHistory child : children) {
      long fired = RotationHistories.count(child, EventType.EVENT_TYPE_TIMER_FIRED);
      ticks += fired;
      assertThat((long) child.getEvents().size())
          .as("events in the run from shard " + first)
          .isLessThanOrEqualTo(ShardRuns.maxRunEvents(SHARDS, first, fired));
      first = ShardRuns.runEnd(first, SHARDS);
    }
    long reports = RotationHistories.progressReports(client, "large");
    assertThat(reports).as("progress reports").isPositive();
    assertThat(ShardRuns.PARENT_EVENTS_PER_REPORT * reports)
        .as("what the reports added to the rotation's history")
        .isLessThanOrEqualTo(ShardRuns.maxParentEvents(SHARDS, ticks));
    for (WorkflowExecutionHistory run : runs) {
      assertThat(run.getEvents().size())
          .as("events in " + run.getWorkflowExecution())
          .isLessThan(ShardRuns.EVENT_WARNING);
      int largest =
          run.getEvents().stream().mapToInt(HistoryEvent::getSerializedSize).max().orElse(0);
      assertThat(largest)
          .as("largest event in " + run.getWorkflowExecution())
          .isLessThan(PAYLOAD_LIMIT);
    }
  }
}
