package io.breakglass.worker.crash;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Every UPDATE of an {@code ai_json_snapshots} row, as PostgreSQL itself sees it: a trigger logs
 * the row id, the {@code application_name} of the connection that wrote, and the key id before and
 * after. Nothing a client does can keep its update out of the log.
 */
final class UpdateLog {

  /**
   * @param row the row id
   * @param oldKeyId the envelope's key id before the update
   * @param newKeyId the envelope's key id after it
   */
  record Update(long row, String oldKeyId, String newKeyId) {}

  private final Jdbi database;

  private UpdateLog(Jdbi database) {
    this.database = database;
  }

  /** Installs the log table and its trigger in the application database. */
  static UpdateLog install(Jdbi database) {
    database.useHandle(
        h -> {
          h.execute(
              """
              CREATE TABLE snapshot_updates (
                seq         bigserial PRIMARY KEY,
                row_id      bigint NOT NULL,
                application text NOT NULL,
                old_kid     text,
                new_kid     text)""");
          h.execute(
              """
              CREATE FUNCTION log_snapshot_update() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                INSERT INTO snapshot_updates (row_id, application, old_kid, new_kid)
                VALUES (NEW.id, current_setting('application_name'),
                        OLD.payload->>'kid', NEW.payload->>'kid');
                RETURN NEW;
              END $$""");
          h.execute(
              """
              CREATE TRIGGER snapshot_updates AFTER UPDATE ON ai_json_snapshots
              FOR EACH ROW EXECUTE FUNCTION log_snapshot_update()""");
        });
    return new UpdateLog(database);
  }

  /** The updates made by {@code application}, in the order they happened. */
  List<Update> by(String application) {
    return database.withHandle(
        h ->
            h.createQuery(
                    "SELECT row_id, old_kid, new_kid FROM snapshot_updates"
                        + " WHERE application = :application ORDER BY seq")
                .bind("application", application)
                .map(
                    (rs, ctx) ->
                        new Update(
                            rs.getLong("row_id"), rs.getString("old_kid"), rs.getString("new_kid")))
                .list());
  }

  /** The rows {@code application} updated more than once. */
  Set<Long> rowsUpdatedMoreThanOnceBy(String application) {
    return database.withHandle(
        h ->
            h.createQuery(
                    "SELECT row_id FROM snapshot_updates WHERE application = :application"
                        + " GROUP BY row_id HAVING count(*) > 1")
                .bind("application", application)
                .mapTo(Long.class)
                .collect(Collectors.toCollection(TreeSet::new)));
  }
}
