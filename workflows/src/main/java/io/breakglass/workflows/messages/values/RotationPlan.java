package io.breakglass.workflows.messages.values;

import java.time.Duration;
import java.util.List;

/**
 * What a rotation will do, resolved from configuration by PLAN. Holds names, counts and version ids
 * only.
 *
 * @param secrets the secrets to rotate
 * @param dataSets the data sets encrypted under those secrets
 * @param deployments the workloads that read those secrets
 * @param policy approvals and timeouts
 * @param metricWatchSkipReason why METRIC_WATCH is skipped (no metrics source configured)
 * @param nextRotationAfter when the next routine rotation is due, counted from CLOSE
 * @param metricWatch what METRIC_WATCH analyses, or null when it is skipped
 */
public record RotationPlan(
    List<SecretPlan> secrets,
    List<DataSetPlan> dataSets,
    List<DeploymentPlan> deployments,
    GatePolicy policy,
    String metricWatchSkipReason,
    Duration nextRotationAfter,
    MetricWatchPlan metricWatch) {

  /** A plan whose METRIC_WATCH is skipped for {@code metricWatchSkipReason}. */
  public RotationPlan(
      List<SecretPlan> secrets,
      List<DataSetPlan> dataSets,
      List<DeploymentPlan> deployments,
      GatePolicy policy,
      String metricWatchSkipReason,
      Duration nextRotationAfter) {
    this(secrets, dataSets, deployments, policy, metricWatchSkipReason, nextRotationAfter, null);
  }

  /** The plan entry for {@code secret}. */
  public SecretPlan secret(String secret) {
    return secrets.stream()
        .filter(s -> s.name().equals(secret))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("secret not in plan: " + secret));
  }
}
