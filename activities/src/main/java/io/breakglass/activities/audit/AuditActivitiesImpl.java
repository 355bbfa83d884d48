package io.breakglass.activities.audit;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.AuditActivities;
import io.breakglass.workflows.messages.values.NewVersion;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Writes rotations, their timelines and the next routine rotation dates to the {@link
 * BreakglassSchema} tables. Every method is an upsert, so a retried activity changes nothing; the
 * writes of one call share one transaction. One instance serves all activity threads.
 */
public final class AuditActivitiesImpl implements AuditActivities {

  private final Jdbi jdbi;

  /**
   * @param jdbi a Jdbi over a migrated database; the SqlObject plugin is installed if missing
   */
  public AuditActivitiesImpl(Jdbi jdbi) {
    this.jdbi = jdbi.installPlugin(new SqlObjectPlugin());
  }

  @Override
  public void recordStart(RotationRecord rotation) {
    typed(
        rotation.rotationId(),
        () -> jdbi.useExtension(AuditDao.class, dao -> dao.upsertStart(rotation)));
  }

  @Override
  public void recordTimeline(TimelineBatch batch) {
    if (batch.entries().isEmpty()) {
      return;
    }
    typed(
        batch.rotationId(),
        () ->
            jdbi.useTransaction(
                handle ->
                    handle
                        .attach(AuditDao.class)
                        .upsertTimeline(batch.rotationId(), batch.entries())));
  }

  @Override
  public void recordClose(RotationClose close) {
    typed(
        close.rotationId(),
        () ->
            jdbi.useTransaction(
                handle -> {
                  AuditDao dao = handle.attach(AuditDao.class);
                  dao.upsertClose(close);
                  if (close.nextRotationDue() != null) {
                    List<String> secrets =
                        close.versions().stream().map(NewVersion::secret).distinct().toList();
                    dao.upsertNextRotations(secrets, close.nextRotationDue(), close.rotationId());
                  }
                }));
  }

  /** Database errors become a retryable AUDIT_UNAVAILABLE naming the SQL state, not the values. */
  private static void typed(String rotationId, Runnable write) {
    try {
      write.run();
    } catch (JdbiException e) {
      Throwable cause = e.getCause();
      String state =
          cause instanceof SQLException sql ? sql.getSQLState() : e.getClass().getSimpleName();
      throw RotationErrors.AUDIT_UNAVAILABLE.failure(
          "cannot record rotation " + rotationId + " in the audit store (" + state + ")");
    }
  }
}
