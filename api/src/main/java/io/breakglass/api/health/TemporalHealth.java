package io.breakglass.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.temporal.serviceclient.WorkflowServiceStubs;

/** Temporal's frontend answers its gRPC health check. */
public final class TemporalHealth extends HealthCheck {

  private final WorkflowServiceStubs stubs;

  public TemporalHealth(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  @Override
  protected Result check() {
    var response = stubs.healthCheck();
    return response.getStatus().name().equals("SERVING")
        ? Result.healthy()
        : Result.unhealthy("Temporal reports " + response.getStatus());
  }
}
