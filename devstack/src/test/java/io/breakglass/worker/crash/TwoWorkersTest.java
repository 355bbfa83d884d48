package io.breakglass.worker.crash;

import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.ROWS;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.worker.rotation.Testbed.Reencryption;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.RotationState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker processes on one task queue share a data set's shards. Each may run one activity at a
 * time, and the data set runs two shards at once, each for about a second: while one worker holds a
 * shard it does not poll, so the other takes the next one. Who ran what is read from the shard
 * results, which name their worker.
 */
class TwoWorkersTest {

  /** Six shards of 50, two at a time, 50 items/s each. */
  private static final Reencryption SIX_SHARDS_TWO_AT_A_TIME =
      new Reencryption(50, 25, 2, 100, null);

  @TempDir Path root;

  @Test
  void twoWorkersOnOneTaskQueue_shareTheShards_andTheDataSetRunNamesBoth() throws Exception {
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, SIX_SHARDS_TWO_AT_A_TIME);
    Map<String, String> plaintextBefore = testbed.plaintextDigests();

    RotationStatus end;
    ReencryptionHistory history;
    try (ServerProcess server = ServerProcess.start(root.resolve("temporal.log"));
        ProcessTestbed processes = new ProcessTestbed(testbed, server, "two-workers")) {
      WorkerProcess a = processes.startWorker("worker-a", 1);
      WorkerProcess b = processes.startWorker("worker-b", 1);
      a.awaitReady();
      b.awaitReady();
      try (Operator operator = processes.startRotation("two-workers", PAYLOAD_KEY)) {
        end = operator.awaitEnd(Duration.ofMinutes(3));
      }
      history = ReencryptionHistory.of(processes.client(), "two-workers", SNAPSHOTS, PAYLOAD_KEY);
    }

    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    assertThat(history.run().shardsDone()).isEqualTo(6);
    assertThat(history.run().workers()).containsExactly("worker-a", "worker-b");
    assertThat(history.shards())
        .extracting(shard -> shard.result().worker())
        .contains("worker-a", "worker-b");
    String newKeyId = PAYLOAD_KEY + ":" + VersionIds.forRotation("two-workers", PAYLOAD_KEY);
    assertThat(testbed.scan(SNAPSHOTS).itemsUnder(newKeyId)).isEqualTo(ROWS);
    assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);
  }
}
