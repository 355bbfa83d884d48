package io.breakglass.worker;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ProbeWorkflowImpl implements ProbeWorkflow {

  // Short timeouts so an attempt lost with its worker is retried within seconds.
  private final ProbeActivities activities =
      Workflow.newActivityStub(
          ProbeActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(3))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(200))
                      .setBackoffCoefficient(1)
                      .build())
              .build());

  @Override
  public String run(String input) {
    return activities.work(input);
  }
}
