package io.breakglass.activities.audit;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL schema {@code breakglass}: rotations, timeline entries, next rotations, the
 * operator audit log and the secret locks, created by the Flyway migrations under {@code
 * db/breakglass}.
 */
public final class BreakglassSchema {

  /** The schema every Breakglass table lives in. */
  public static final String NAME = "breakglass";

  private BreakglassSchema() {}

  /**
   * Creates the schema if needed and applies the migrations not yet applied; safe to call on every
   * start, also from several processes at once (Flyway takes a database lock). Flyway's history
   * table lives inside the schema, so the service's own Flyway history is never touched, and {@code
   * clean} is disabled so nothing can drop the audit trail.
   *
   * @return how many migrations were applied (0 when the schema was up to date)
   */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .schemas(NAME)
        .table("breakglass_schema_history")
        .locations("classpath:db/breakglass")
        .cleanDisabled(true)
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
