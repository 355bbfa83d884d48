package io.breakglass.activities.lock;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.SecretLockActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link SecretLockActivities} over {@link SecretLocks}. Holders are described through the Temporal
 * client of the worker running the activity. One instance serves all activity threads.
 */
public final class SecretLockActivitiesImpl implements SecretLockActivities {

  private final Jdbi jdbi;
  private final Supplier<HolderWorkflows> holders;

  /**
   * @param jdbi a Jdbi over a migrated database
   */
  public SecretLockActivitiesImpl(Jdbi jdbi) {
    this(
        jdbi,
        () -> new TemporalHolderWorkflows(Activity.getExecutionContext().getWorkflowClient()));
  }

  /** With the holders' workflows described by {@code holders} (tests). */
  SecretLockActivitiesImpl(Jdbi jdbi, Supplier<HolderWorkflows> holders) {
    this.jdbi = jdbi;
    this.holders = holders;
  }

  @Override
  public LockOutcome acquire(LockRequest request) {
    try {
      return new SecretLocks(jdbi, holders.get()).acquire(request);
    } catch (HolderUnknownException e) {
      // Retryable: a holder that cannot be seen is not assumed gone, and Temporal may answer soon.
      throw ApplicationFailure.newFailure(
          "cannot lock the secrets of rotation " + request.rotationId() + ": " + e.getMessage(),
          RotationErrors.SECRET_LOCKED.name());
    } catch (JdbiException e) {
      throw unavailable(request.rotationId(), e);
    }
  }

  @Override
  public void release(LockRelease release) {
    try {
      new SecretLocks(jdbi, holders.get()).release(release.rotationId());
    } catch (JdbiException e) {
      throw unavailable(release.rotationId(), e);
    }
  }

  /** A retryable AUDIT_UNAVAILABLE naming the SQL state, not the values. */
  private static ApplicationFailure unavailable(String rotationId, JdbiException e) {
    Throwable cause = e.getCause();
    String state =
        cause instanceof SQLException sql ? sql.getSQLState() : e.getClass().getSimpleName();
    return RotationErrors.AUDIT_UNAVAILABLE.failure(
        "cannot reach the secret locks of rotation " + rotationId + " (" + state + ")");
  }
}
