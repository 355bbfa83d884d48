package io.breakglass.worker.crash;

import io.breakglass.worker.rotation.Testbed;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.ReencryptActivities.ShardRequest;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.time.Duration;

/**
 * A testbed's real shard activity, run as a worker runs it (Temporal's activity test environment,
 * the Breakglass data converter, heartbeats and all). Every run is a first attempt with no
 * checkpoint to resume from: what a second delivery of a shard, or a retry that lost its
 * checkpoint, looks like to the activity.
 */
final class ShardActivity implements AutoCloseable {

  private final TestActivityEnvironment environment;
  private final ReencryptActivities shards;

  ShardActivity(Testbed testbed) {
    environment =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(BreakglassDataConverter.create())
                        .build())
                .build());
    environment.registerActivitiesImplementations(
        testbed.activities.activities().stream()
            .filter(ReencryptActivities.class::isInstance)
            .findFirst()
            .orElseThrow());
    shards =
        environment.newActivityStub(
            ReencryptActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  /** Runs the shard to its end; throws the activity's failure if it fails. */
  ShardResult run(ShardRequest request) {
    return shards.reencryptShard(request);
  }

  @Override
  public void close() {
    environment.close();
  }
}
