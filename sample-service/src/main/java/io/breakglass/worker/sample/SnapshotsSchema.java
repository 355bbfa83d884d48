package io.breakglass.worker.sample;

/**
 * The protected application's table of AI snapshots, as far as Breakglass needs it: the sample
 * service owns it, and the dev stack and the bench seed it.
 */
public final class SnapshotsSchema {

  /** Creates {@code ai_json_snapshots} unless it exists. */
  public static final String DDL =
      """
      CREATE TABLE IF NOT EXISTS ai_json_snapshots (
        id          bigserial PRIMARY KEY,
        patient_ref text NOT NULL,
        model       text NOT NULL,
        payload     jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )""";

  private SnapshotsSchema() {}
}
