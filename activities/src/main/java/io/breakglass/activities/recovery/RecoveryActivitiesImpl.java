package io.breakglass.activities.recovery;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.plan.PlanActivitiesImpl;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.RecoveryActivities;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.RecoveryPlan;
import io.breakglass.workflows.messages.values.RotationKind;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link RecoveryActivities}: the audit store, the secret store and configuration, read-only. */
public final class RecoveryActivitiesImpl implements RecoveryActivities {

  private final RotationSettings settings;
  private final SecretStore store;
  private final RotationHistory history;

  /**
   * @param jdbi Breakglass's own database, migrated
   */
  public RecoveryActivitiesImpl(RotationSettings settings, SecretStore store, Jdbi jdbi) {
    this.settings = settings;
    this.store = store;
    this.history = new RotationHistory(jdbi);
  }

  @Override
  public RecoveryPlan planRecovery(RecoveryRequest request) {
    StoredRevoke stored = stored(request.rotationId(), request.secret());
    SecretVersion revoked = revokedVersion(request.rotationId(), request.secret());
    PolicyConfig policy = settings.policy();
    List<DeploymentPlan> deployments =
        settings.deployments().stream()
            .filter(d -> d.secrets().contains(request.secret()))
            .map(d -> new DeploymentPlan(d.name(), d.target(), List.of(request.secret())))
            .toList();
    return new RecoveryPlan(
        request.rotationId(),
        request.secret(),
        revoked.versionId(),
        stored.revokedAt(),
        policy.revokeRecoveryWindow(),
        new GatePolicy(
            Math.max(configuredApprovals(policy, stored.kind()), stored.revokeGateApprovers()),
            policy.gateTimeout(),
            policy.restartTimeout(),
            policy.escalationInterval(),
            // Un-revoking adds a version back decrypt-only; there is no new deployment to watch.
            Duration.ZERO,
            PlanActivitiesImpl.approvalPolicy(settings)),
        deployments,
        stored.lastSeq());
  }

  /**
   * The approvals configured for the rotation's kind; the stricter of the two when its kind was
   * never recorded.
   */
  static int configuredApprovals(PolicyConfig policy, RotationKind kind) {
    if (kind == null) {
      return Math.max(policy.emergencyApprovals(), policy.routineApprovals());
    }
    return kind == RotationKind.ROUTINE ? policy.routineApprovals() : policy.emergencyApprovals();
  }

  private StoredRevoke stored(String rotationId, String secret) {
    try {
      return StoredRevoke.read(history, rotationId, secret);
    } catch (RecoveryRefusal e) {
      throw RotationErrors.NOT_RECOVERABLE.failure(e.getMessage());
    } catch (JdbiException e) {
      Throwable cause = e.getCause();
      String state =
          cause instanceof SQLException sql ? sql.getSQLState() : e.getClass().getSimpleName();
      throw RotationErrors.AUDIT_UNAVAILABLE.failure(
          "cannot read rotation " + rotationId + " from the audit store (" + state + ")");
    }
  }

  /** The version of {@code secret} the store shows revoked by {@code rotationId}. */
  private SecretVersion revokedVersion(String rotationId, String secret) {
    SecretState state;
    try {
      state = store.describe(secret);
    } catch (SecretStoreException e) {
      throw e.error() == RotationErrors.VERSION_NOT_FOUND
          ? RotationErrors.NOT_RECOVERABLE.failure(e.getMessage())
          : e.error().failure(e.getMessage());
    }
    Optional<SecretVersion> revoked =
        byRotation(state, VersionStatus.REVOKED, SecretVersion.REVOKED_BY, rotationId);
    if (revoked.isPresent()) {
      return revoked.get();
    }
    String why =
        byRotation(state, VersionStatus.ACTIVE, SecretVersion.UNREVOKED_BY, rotationId)
            .map(v -> "version " + v.versionId() + " of " + secret + " is active again already")
            .orElse(
                "the secret store shows no version of "
                    + secret
                    + " revoked by rotation "
                    + rotationId);
    throw RotationErrors.NOT_RECOVERABLE.failure(why);
  }

  private static Optional<SecretVersion> byRotation(
      SecretState state, VersionStatus status, String key, String rotationId) {
    return state.versions().stream()
        .filter(v -> v.status() == status && rotationId.equals(v.metadata().get(key)))
        .findFirst();
  }
}
