package io.breakglass.activities.audit;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The append-only record of what operators did through the API (approvals, rejections, starts,
 * secret uploads), in {@code breakglass.audit_log}. Entries carry names and ids, never secret
 * material. An entry is either recorded whole ({@link #record}) or opened before the action takes
 * effect and completed once with its result ({@link #begin}, {@link #complete}); nothing else
 * changes a row. Thread-safe.
 */
public final class AuditLog {

  /** The result of an entry {@link #begin} opened and nothing has completed yet. */
  public static final String PENDING = "pending";

  private final AuditDao dao;

  /**
   * @param jdbi a Jdbi over a migrated database; the SqlObject plugin is installed if missing
   */
  public AuditLog(Jdbi jdbi) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(AuditDao.class);
  }

  /**
   * Appends one entry stamped with the database time.
   *
   * @param actor who acted (the authenticated operator)
   * @param action what they did, e.g. {@code approve}
   * @param target what it was done to, e.g. a rotation id; may be null
   * @param result how it ended, e.g. {@code accepted} or {@code refused}
   * @param detail one line for humans; may be null
   * @return the entry's id
   */
  public long record(String actor, String action, String target, String result, String detail) {
    return dao.appendAuditLog(actor, action, target, result, detail);
  }

  /**
   * Opens an entry for an action about to take effect, with result {@value #PENDING}.
   *
   * @return the entry's id, for {@link #complete}
   */
  public long begin(String actor, String action, String target) {
    return dao.appendAuditLog(actor, action, target, PENDING, null);
  }

  /**
   * Sets the result and detail of an entry {@link #begin} opened.
   *
   * @throws IllegalStateException when no pending entry has that id (completed already, or never
   *     opened)
   */
  public void complete(long id, String result, String detail) {
    if (dao.completeAuditLog(id, result, detail) != 1) {
      throw new IllegalStateException("audit entry " + id + " is not pending");
    }
  }

  /**
   * The newest {@code limit} entries, newest first.
   *
   * @throws IllegalArgumentException when {@code limit} is not between 1 and {@link
   *     RotationHistory#MAX_LIMIT}
   */
  public List<AuditEntry> recent(int limit) {
    if (limit < 1 || limit > RotationHistory.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + RotationHistory.MAX_LIMIT + ", got " + limit);
    }
    return dao.auditLog(limit);
  }
}
