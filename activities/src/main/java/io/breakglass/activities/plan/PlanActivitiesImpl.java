package io.breakglass.activities.plan;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.PlanActivities;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.MetricPlan;
import io.breakglass.workflows.messages.values.MetricWatchPlan;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.SecretPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link PlanActivities}: configuration, the secret store and the data sets, read-only. */
public final class PlanActivitiesImpl implements PlanActivities {

  private final RotationSettings settings;
  private final SecretStore store;
  private final ProtectedDataSets dataSets;
  private final String metricWatchSkipReason;

  /**
   * @param metricWatchSkipReason why METRIC_WATCH is skipped when the settings configure none
   */
  public PlanActivitiesImpl(
      RotationSettings settings,
      SecretStore store,
      ProtectedDataSets dataSets,
      String metricWatchSkipReason) {
    this.settings = settings;
    this.store = store;
    this.dataSets = dataSets;
    this.metricWatchSkipReason = metricWatchSkipReason;
  }

  @Override
  public RotationPlan plan(PlanRequest request) {
    List<SecretPlan> secrets = new ArrayList<>();
    List<DataSetPlan> plannedDataSets = new ArrayList<>();
    for (String name : request.secrets()) {
      SecretConfig secret =
          settings
              .secret(name)
              .orElseThrow(
                  () ->
                      RotationErrors.UNKNOWN_SECRET.failure(
                          "secret "
                              + name
                              + " is not configured; configured: "
                              + settings.secrets().stream().map(SecretConfig::name).toList()));
      requireSmokeCheck(secret);
      secrets.add(secretPlan(secret));
      for (ProtectedDataSet dataSet : dataSets.of(name)) {
        plannedDataSets.add(dataSetPlan(dataSet));
      }
    }
    MetricWatchPlan metricWatch = metricWatch(settings.metricWatch());
    return new RotationPlan(
        secrets,
        plannedDataSets,
        deployments(request.secrets()),
        policy(request),
        metricWatch == null ? metricWatchSkipReason : null,
        settings.policy().rotationInterval(),
        metricWatch);
  }

  private static MetricWatchPlan metricWatch(MetricWatchConfig config) {
    if (config == null) {
      return null;
    }
    return new MetricWatchPlan(
        config.metrics().stream()
            .map(
                m ->
                    new MetricPlan(
                        m.name(),
                        m.interval(),
                        m.count(),
                        m.failureLimit(),
                        m.inconclusiveLimit(),
                        m.hasBaseline()))
            .toList(),
        config.logScan() != null,
        config.prometheus() != null);
  }

  /** No smoke test passes on nothing: a secret needs a covering check or an explicit exception. */
  private void requireSmokeCheck(SecretConfig secret) {
    if (settings.smokeChecksCovering(secret.name()).isEmpty()
        && secret.noSmokeCheckReason() == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "secret "
              + secret.name()
              + " has no smoke check: no entry of rotation.smokeChecks covers it"
              + " (list it in a check's secrets, name ${keyId:"
              + secret.name()
              + "} in a check, or sign a"
              + " check's jwt with it); to rotate it without one, set smoke: {allowNoChecks: true,"
              + " reason: ...} on the secret");
    }
  }

  private SecretPlan secretPlan(SecretConfig secret) {
    SecretState state;
    try {
      state = store.describe(secret.name());
    } catch (SecretStoreException e) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "secret "
              + secret.name()
              + " is configured but the secret store has no versions of it: "
              + e.getMessage());
    }
    SecretVersion current =
        state
            .labelled(Label.CURRENT)
            .orElseThrow(
                () ->
                    RotationErrors.INVALID_CONFIGURATION.failure(
                        "secret " + secret.name() + " has no CURRENT version"));
    String previous = state.labelled(Label.PREVIOUS).map(SecretVersion::versionId).orElse(null);
    return new SecretPlan(
        secret.name(), secret.kind(), current.versionId(), previous, state.leftovers());
  }

  private static DataSetPlan dataSetPlan(ProtectedDataSet dataSet) {
    try {
      return new DataSetPlan(
          dataSet.name(),
          dataSet.secret(),
          dataSet.config().type(),
          dataSet.store().count(),
          dataSet.store().split(dataSet.config().shardSize()),
          dataSet.config().concurrency(),
          dataSet.config().itemsPerSecond(),
          dataSet.config().heartbeatTimeout());
    } catch (DataStoreException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(e.getMessage());
    }
  }

  private List<DeploymentPlan> deployments(List<String> rotated) {
    List<DeploymentPlan> plans = new ArrayList<>();
    for (DeploymentConfig deployment : settings.deployments()) {
      List<String> read = deployment.secrets().stream().filter(rotated::contains).toList();
      if (!read.isEmpty()) {
        plans.add(new DeploymentPlan(deployment.name(), deployment.target(), read));
      }
    }
    return plans;
  }

  private GatePolicy policy(PlanRequest request) {
    PolicyConfig policy = settings.policy();
    int required =
        request.requiredApprovals() != null
            ? request.requiredApprovals()
            : policy.approvalsFor(request.kind());
    // A request may raise its kind's approvals, never lower them.
    int floor = policy.approvalFloor(request.kind());
    if (required < floor) {
      throw RotationErrors.INVALID_REQUEST.failure(
          "requiredApprovals "
              + required
              + " is below the configured minimum of "
              + floor
              + " for a "
              + request.kind()
              + " rotation");
    }
    Duration gateTimeout =
        request.gateTimeout() != null ? request.gateTimeout() : policy.gateTimeout();
    return new GatePolicy(
        required,
        gateTimeout,
        policy.restartTimeout(),
        policy.escalationInterval(),
        policy.monitoringInterval(),
        approvalPolicy(settings));
  }

  /**
   * The approval rules a plan carries.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_CONFIGURATION} when the settings
   *     have none (a configuration file is refused without them; this guards other callers)
   */
  public static ApprovalPolicy approvalPolicy(RotationSettings settings) {
    if (settings.approvals() == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "rotation.approvals is missing: nothing says how approvals are verified");
    }
    return settings.approvals().policy();
  }
}
