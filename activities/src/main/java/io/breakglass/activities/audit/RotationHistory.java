package io.breakglass.activities.audit;

import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * What the audit store knows about past and running rotations: for the operator API, the incident
 * report and the demo. Thread-safe; each call uses its own connection.
 */
public final class RotationHistory {

  /** The largest {@code limit} {@link #list} accepts. */
  public static final int MAX_LIMIT = 1000;

  private final AuditDao dao;

  /**
   * @param jdbi a Jdbi over a migrated database; the SqlObject plugin is installed if missing
   */
  public RotationHistory(Jdbi jdbi) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(AuditDao.class);
  }

  /**
   * The newest {@code limit} rotations, newest first.
   *
   * @throws IllegalArgumentException when {@code limit} is not between 1 and {@link #MAX_LIMIT}
   */
  public List<RotationRow> list(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    return dao.rotations(limit);
  }

  /** One rotation, or empty when it was never recorded. */
  public Optional<RotationRow> find(String rotationId) {
    return dao.rotation(rotationId);
  }

  /** The rotations recorded as RUNNING, oldest first: the ones whose workflow may be gone. */
  public List<RotationRow> running() {
    return dao.runningRotations();
  }

  /**
   * Records how a rotation still recorded as RUNNING really ended, as Temporal tells it; a close
   * the rotation recorded itself is left as it is.
   *
   * @param state a {@linkplain RotationState#terminal() terminal} state
   * @return whether the record was still RUNNING and now holds {@code state}
   */
  public boolean settle(String rotationId, RotationState state, Instant endedAt, String why) {
    if (!state.terminal()) {
      throw new IllegalArgumentException("not an end state: " + state);
    }
    return dao.settleRunning(rotationId, state.name(), endedAt, why) == 1;
  }

  /** The rotation's incident timeline in order ({@code seq} ascending); empty when unknown. */
  public List<TimelineEntry> timeline(String rotationId) {
    return dao.timeline(rotationId);
  }

  /** When each secret is next due for routine rotation, soonest first. */
  public List<NextRotation> nextRotations() {
    return dao.nextRotations();
  }
}
