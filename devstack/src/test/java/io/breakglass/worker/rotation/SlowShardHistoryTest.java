package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.ShardRuns;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shards that each take about fourteen minutes of workflow time (nineteen failed attempts, the
 * retry backoff skipped by the test server), one at a time: the child's progress reporter starts no
 * timer while no shard has finished, so its history and the rotation's grow with the shards, not
 * with the hours. A reporter ticking every ten seconds would have started hundreds of timers here;
 * the test checks that the phase really lasted that long, so it would fail on one.
 */
class SlowShardHistoryTest {

  private static final int SHARDS = 6;
  private static final int SHARD_SIZE = 1_000;
  private static final int FAILED_ATTEMPTS = 19;

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @Test
  void slowShards_addReportsPerShard_notTimersPerTenSeconds(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    SimulatedActivities simulated =
        new SimulatedActivities((long) SHARDS * SHARD_SIZE, SHARD_SIZE, 1)
            .slowShards(FAILED_ATTEMPTS);
    worker.registerActivitiesImplementations(simulated);
    env.start();

    RotationTests.start(
        client, options, RotationTests.emergency("slow", SimulatedActivities.SECRET));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "slow")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      // Only a sleeping test skips time, from REENCRYPT on (the PROCEED gate's own timers are not
      // this test's): the shards' retries, then the monitoring interval.
      operator.awaitStatus(status -> status.phase() == Phase.REENCRYPT, Duration.ofMinutes(2));
      env.sleep(Duration.ofHours(3));
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(simulated.shardsRun.get()).isEqualTo(SHARDS);
    List<WorkflowExecutionHistory> children =
        RotationHistories.childRuns(
            client, "slow", SimulatedActivities.DATA_SET, SimulatedActivities.SECRET);
    WorkflowExecutionHistory child = children.get(0);
    assertThat(children).hasSize(1);
    Duration lasted =
        Duration.ofSeconds(
            child.getLastEvent().getEventTime().getSeconds()
                - child.getEvents().get(0).getEventTime().getSeconds());
    assertThat(lasted).as("the re-encryption's workflow time").isGreaterThan(Duration.ofHours(1));
    assertThat(RotationHistories.count(child, EventType.EVENT_TYPE_TIMER_STARTED))
        .as("the reporter's timers, against %d ten-second ticks", ShardRuns.ticks(lasted))
        .isLessThanOrEqualTo(SHARDS + 1);
    assertThat((long) child.getEvents().size())
        .isLessThanOrEqualTo(ShardRuns.maxRunEvents(SHARDS, 0, ShardRuns.HOWEVER_LONG));
    long reports = RotationHistories.progressReports(client, "slow");
    assertThat(ShardRuns.PARENT_EVENTS_PER_REPORT * reports)
        .as("what the %d reports added to the rotation's history", reports)
        .isLessThanOrEqualTo(ShardRuns.maxParentEvents(SHARDS, ShardRuns.HOWEVER_LONG));
    assertThat(reports).isLessThanOrEqualTo(SHARDS + 1);
  }
}
