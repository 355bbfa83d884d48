package io.breakglass.api;

import org.jdbi.v3.core.Jdbi;

/**
 * Rotation records written and read straight in Breakglass's own database, past the API and the
 * workflows: how a test makes a record that says RUNNING for a workflow that never ran.
 */
public final class RotationRecordRows {

  private RotationRecordRows() {}

  /**
   * An EMERGENCY rotation of {@code secrets} recorded RUNNING since now, for {@code workflowId}.
   */
  public static void insertRunning(
      Jdbi jdbi, String rotationId, String workflowId, String... secrets) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO breakglass.rotations (rotation_id, workflow_id, kind, state,"
                        + " started_at, secrets) VALUES (:id, :workflow, 'EMERGENCY', 'RUNNING',"
                        + " now(), :secrets)")
                .bind("id", rotationId)
                .bind("workflow", workflowId)
                .bind("secrets", secrets)
                .execute());
  }

  /** The state the record of {@code rotationId} holds. */
  public static String state(Jdbi jdbi, String rotationId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT state FROM breakglass.rotations WHERE rotation_id = :id")
                .bind("id", rotationId)
                .mapTo(String.class)
                .one());
  }
}
