package io.breakglass.activities.audit;

import io.breakglass.workflows.activities.AuditActivities.RotationClose;
import io.breakglass.workflows.activities.AuditActivities.RotationRecord;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL over the {@link BreakglassSchema} tables. Every write is an upsert keyed by rotation id (and
 * timeline position, or secret), so repeating it changes nothing.
 */
public interface AuditDao {

  /**
   * Inserts the rotation as RUNNING; on a repeat, refreshes what the start knows and leaves the
   * state alone, so a late retry never reopens a rotation that has closed.
   */
  @SqlUpdate(
      """
      INSERT INTO breakglass.rotations
          (rotation_id, workflow_id, kind, initiator, reason, secrets, state, started_at)
      VALUES
          (:rotationId, :workflowId, :kind, :initiator, :reason, :secrets, 'RUNNING', :startedAt)
      ON CONFLICT (rotation_id) DO UPDATE SET
          workflow_id = EXCLUDED.workflow_id,
          kind = EXCLUDED.kind,
          initiator = EXCLUDED.initiator,
          reason = EXCLUDED.reason,
          secrets = EXCLUDED.secrets,
          started_at = EXCLUDED.started_at
      """)
  void upsertStart(@BindMethods RotationRecord rotation);

  /** Inserts or replaces each entry by {@code (rotationId, seq)}, as one JDBC batch. */
  @SqlBatch(
      """
      INSERT INTO breakglass.timeline_entries
          (rotation_id, seq, phase, outcome, actor, started_at, ended_at, detail)
      VALUES
          (:rotationId, :seq, :phase, :outcome, :actor, :startedAt, :endedAt, :detail)
      ON CONFLICT (rotation_id, seq) DO UPDATE SET
          phase = EXCLUDED.phase,
          outcome = EXCLUDED.outcome,
          actor = EXCLUDED.actor,
          started_at = EXCLUDED.started_at,
          ended_at = EXCLUDED.ended_at,
          detail = EXCLUDED.detail
      """)
  void upsertTimeline(
      @Bind("rotationId") String rotationId, @BindMethods Collection<TimelineEntry> entries);

  /** Records the outcome, creating the row if the start was never recorded. */
  @SqlUpdate(
      """
      INSERT INTO breakglass.rotations
          (rotation_id, state, ended_at, approvers, validations, items_reencrypted,
           next_rotation_due, failure)
      VALUES
          (:rotationId, :state, :endedAt, :approvers, :validations, :itemsReencrypted,
           :nextRotationDue, :failure)
      ON CONFLICT (rotation_id) DO UPDATE SET
          state = EXCLUDED.state,
          ended_at = EXCLUDED.ended_at,
          approvers = EXCLUDED.approvers,
          validations = EXCLUDED.validations,
          items_reencrypted = EXCLUDED.items_reencrypted,
          next_rotation_due = EXCLUDED.next_rotation_due,
          failure = EXCLUDED.failure
      """)
  void upsertClose(@BindMethods RotationClose close);

  /** Sets the next due date of each secret to {@code dueAt}, set by {@code rotationId}. */
  @SqlBatch(
      """
      INSERT INTO breakglass.next_rotations (secret, due_at, last_rotation_id)
      VALUES (:secret, :dueAt, :rotationId)
      ON CONFLICT (secret) DO UPDATE SET
          due_at = EXCLUDED.due_at,
          last_rotation_id = EXCLUDED.last_rotation_id
      """)
  void upsertNextRotations(
      @Bind("secret") Collection<String> secrets,
      @Bind("dueAt") Instant dueAt,
      @Bind("rotationId") String rotationId);

  /** Newest first: by start time, or end time for a rotation whose start was never recorded. */
  @SqlQuery(
      """
      SELECT rotation_id, workflow_id, kind, initiator, reason, secrets, state, started_at,
             ended_at, approvers, validations, items_reencrypted, next_rotation_due, failure
      FROM breakglass.rotations
      ORDER BY coalesce(started_at, ended_at) DESC, rotation_id
      LIMIT :limit
      """)
  @RegisterConstructorMapper(RotationRow.class)
  List<RotationRow> rotations(@Bind("limit") int limit);

  /** The rotations recorded as RUNNING, oldest first. */
  @SqlQuery(
      """
      SELECT rotation_id, workflow_id, kind, initiator, reason, secrets, state, started_at,
             ended_at, approvers, validations, items_reencrypted, next_rotation_due, failure
      FROM breakglass.rotations
      WHERE state = 'RUNNING'
      ORDER BY started_at, rotation_id
      """)
  @RegisterConstructorMapper(RotationRow.class)
  List<RotationRow> runningRotations();

  /**
   * Closes a rotation still recorded as RUNNING with the end its workflow had; a close the rotation
   * recorded itself is never overwritten. Returns the rows changed (0 or 1).
   */
  @SqlUpdate(
      """
      UPDATE breakglass.rotations SET state = :state, ended_at = :endedAt, failure = :failure
      WHERE rotation_id = :rotationId AND state = 'RUNNING'
      """)
  int settleRunning(
      @Bind("rotationId") String rotationId,
      @Bind("state") String state,
      @Bind("endedAt") Instant endedAt,
      @Bind("failure") String failure);

  /** One rotation by id. */
  @SqlQuery(
      """
      SELECT rotation_id, workflow_id, kind, initiator, reason, secrets, state, started_at,
             ended_at, approvers, validations, items_reencrypted, next_rotation_due, failure
      FROM breakglass.rotations
      WHERE rotation_id = :rotationId
      """)
  @RegisterConstructorMapper(RotationRow.class)
  Optional<RotationRow> rotation(@Bind("rotationId") String rotationId);

  /** A rotation's timeline, by {@code seq}. */
  @SqlQuery(
      """
      SELECT seq, phase, outcome, actor, started_at, ended_at, detail
      FROM breakglass.timeline_entries
      WHERE rotation_id = :rotationId
      ORDER BY seq
      """)
  @RegisterConstructorMapper(TimelineEntry.class)
  List<TimelineEntry> timeline(@Bind("rotationId") String rotationId);

  /** Every secret's next due date, soonest first. */
  @SqlQuery(
      """
      SELECT secret, due_at, last_rotation_id
      FROM breakglass.next_rotations
      ORDER BY due_at, secret
      """)
  @RegisterConstructorMapper(NextRotation.class)
  List<NextRotation> nextRotations();

  /** Appends one operator action; returns its id. */
  @SqlUpdate(
      """
      INSERT INTO breakglass.audit_log (actor, action, target, result, detail)
      VALUES (:actor, :action, :target, :result, :detail)
      """)
  @GetGeneratedKeys("id")
  long appendAuditLog(
      @Bind("actor") String actor,
      @Bind("action") String action,
      @Bind("target") String target,
      @Bind("result") String result,
      @Bind("detail") String detail);

  /** Completes a pending audit entry once; returns 0 when none is pending under that id. */
  @SqlUpdate(
      """
      UPDATE breakglass.audit_log SET result = :result, detail = :detail
      WHERE id = :id AND result = 'pending'
      """)
  int completeAuditLog(
      @Bind("id") long id, @Bind("result") String result, @Bind("detail") String detail);

  /** The newest {@code limit} audit entries, newest first. */
  @SqlQuery(
      """
      SELECT id, at, actor, action, target, result, detail
      FROM breakglass.audit_log
      ORDER BY id DESC
      LIMIT :limit
      """)
  @RegisterConstructorMapper(AuditEntry.class)
  List<AuditEntry> auditLog(@Bind("limit") int limit);
}
