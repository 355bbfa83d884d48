package io.breakglass.activities.lock;

import io.breakglass.workflows.activities.SecretLockActivities.LockHolder;
import io.breakglass.workflows.activities.SecretLockActivities.LockOutcome;
import io.breakglass.workflows.activities.SecretLockActivities.LockRequest;
import io.breakglass.workflows.activities.SecretLockActivities.Takeover;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret locks in {@code breakglass.secret_locks}: one holder per secret. Used by the lock
 * activities (for a rotation's PLAN and the routine timer) and by the operator API (before it
 * starts a rotation). Thread-safe; each call is one transaction.
 *
 * <p>A lock blocks another rotation only while its holder's workflow runs. A holder Temporal does
 * not know blocks for {@link #STARTING} after it locked: the API and the routine timer lock just
 * before they start the workflow. Any other holder (completed, failed, cancelled, terminated, timed
 * out without giving the lock back) is taken over, and the take-over is kept in the row.
 */
public final class SecretLocks {

  /**
   * How long a lock whose holder Temporal does not know yet counts as held by a starting rotation.
   */
  public static final Duration STARTING = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(SecretLocks.class);

  private final Jdbi jdbi;
  private final HolderWorkflows holders;

  /**
   * @param jdbi a Jdbi over a migrated database; the SqlObject plugin is installed if missing
   * @param holders how the holders' workflows stand
   */
  public SecretLocks(Jdbi jdbi, HolderWorkflows holders) {
    this.jdbi = jdbi.installPlugin(new SqlObjectPlugin());
    this.holders = holders;
  }

  /**
   * Locks every secret of the request for its rotation, or none: when a running rotation holds one,
   * the outcome names it and the transaction is rolled back. Idempotent for the same rotation.
   *
   * @throws HolderUnknownException when Temporal cannot say whether a holder still runs
   */
  public LockOutcome acquire(LockRequest request) {
    String[] secrets = request.secrets().stream().distinct().sorted().toArray(String[]::new);
    return jdbi.inTransaction(
        handle -> {
          SecretLockDao dao = handle.attach(SecretLockDao.class);
          List<String> newlyLocked =
              new ArrayList<>(dao.lockFree(secrets, request.rotationId(), request.workflowId()));
          List<LockHolder> heldBy = new ArrayList<>();
          List<Takeover> takenOver = new ArrayList<>();
          List<LockRow> stale = new ArrayList<>();
          for (LockRow row : dao.rows(secrets, STARTING.toSeconds())) {
            if (row.rotationId().equals(request.rotationId())) {
              if (row.takenOverFrom() != null) {
                takenOver.add(new Takeover(row.secret(), row.takenOverFrom()));
              }
            } else if (blocks(row)) {
              heldBy.add(row.holder());
            } else {
              stale.add(row);
            }
          }
          if (!heldBy.isEmpty()) {
            handle.rollback();
            return new LockOutcome(heldBy, List.of(), List.of());
          }
          for (LockRow row : stale) {
            dao.takeOver(
                row.secret(), row.rotationId(), request.rotationId(), request.workflowId());
            log.warn(
                "lock on secret {} taken over by rotation {} from rotation {}, whose workflow {} no"
                    + " longer runs",
                row.secret(),
                request.rotationId(),
                row.rotationId(),
                row.workflowId());
            takenOver.add(new Takeover(row.secret(), row.rotationId()));
            newlyLocked.add(row.secret());
          }
          return new LockOutcome(List.of(), takenOver, List.copyOf(newlyLocked));
        });
  }

  /** Gives back every lock the rotation holds; returns how many it held. */
  public int release(String rotationId) {
    return jdbi.withExtension(SecretLockDao.class, dao -> dao.release(rotationId));
  }

  /** Gives back the rotation's locks on {@code secrets} only (a start that did not happen). */
  public int release(String rotationId, Collection<String> secrets) {
    String[] names = secrets.toArray(String[]::new);
    return jdbi.withExtension(SecretLockDao.class, dao -> dao.release(rotationId, names));
  }

  /** Every lock held now, by secret, whether its holder runs or not. */
  public List<LockHolder> held() {
    return jdbi.withExtension(SecretLockDao.class, SecretLockDao::held);
  }

  private boolean blocks(LockRow row) {
    Optional<WorkflowExecutionStatus> status = holders.status(row.workflowId());
    if (status.isEmpty()) {
      return row.starting();
    }
    return status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }
}
