package io.breakglass.activities.lock;

import io.breakglass.workflows.activities.SecretLockActivities.LockHolder;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL over {@code breakglass.secret_locks}; used inside one transaction per acquire. */
public interface SecretLockDao {

  /**
   * Locks the secrets nobody holds, in name order (so that two acquires never wait on each other in
   * a circle); a secret held already is left alone. Returns the secrets it locked.
   */
  @SqlQuery(
      """
      INSERT INTO breakglass.secret_locks (secret, rotation_id, workflow_id, acquired_at)
      SELECT s.secret, :rotationId, :workflowId, now()
      FROM unnest(:secrets) AS s(secret)
      ORDER BY s.secret
      ON CONFLICT (secret) DO NOTHING
      RETURNING secret
      """)
  List<String> lockFree(
      @Bind("secrets") String[] secrets,
      @Bind("rotationId") String rotationId,
      @Bind("workflowId") String workflowId);

  /** The rows of the secrets, row-locked until the transaction ends. */
  @SqlQuery(
      """
      SELECT secret, rotation_id, workflow_id, acquired_at, taken_over_from,
             acquired_at > now() - make_interval(secs => :startingSeconds) AS starting
      FROM breakglass.secret_locks
      WHERE secret = ANY(:secrets)
      ORDER BY secret
      FOR UPDATE
      """)
  @RegisterConstructorMapper(LockRow.class)
  List<LockRow> rows(
      @Bind("secrets") String[] secrets, @Bind("startingSeconds") long startingSeconds);

  /**
   * Hands the lock of {@code secret} from {@code previous} to the rotation, remembering whose it
   * was.
   */
  @SqlUpdate(
      """
      UPDATE breakglass.secret_locks
      SET rotation_id = :rotationId, workflow_id = :workflowId, acquired_at = now(),
          taken_over_from = rotation_id
      WHERE secret = :secret AND rotation_id = :previous
      """)
  int takeOver(
      @Bind("secret") String secret,
      @Bind("previous") String previous,
      @Bind("rotationId") String rotationId,
      @Bind("workflowId") String workflowId);

  /** Drops every lock the rotation holds. */
  @SqlUpdate("DELETE FROM breakglass.secret_locks WHERE rotation_id = :rotationId")
  int release(@Bind("rotationId") String rotationId);

  /** Drops the rotation's locks on these secrets only. */
  @SqlUpdate(
      "DELETE FROM breakglass.secret_locks WHERE rotation_id = :rotationId AND secret = ANY(:secrets)")
  int release(@Bind("rotationId") String rotationId, @Bind("secrets") String[] secrets);

  /** Every lock, by secret. */
  @SqlQuery(
      """
      SELECT secret, rotation_id, workflow_id, acquired_at
      FROM breakglass.secret_locks
      ORDER BY secret
      """)
  @RegisterConstructorMapper(LockHolder.class)
  List<LockHolder> held();
}
