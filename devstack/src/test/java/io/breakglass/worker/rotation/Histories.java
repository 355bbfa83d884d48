package io.breakglass.worker.rotation;

import io.breakglass.workflows.RotationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked-in histories replay tests run against. They are rewritten only behind the explicit
 * flag {@code -Dbreakglass.regenerateHistories=true}, by the behaviour tests that produce them;
 * otherwise recording is a no-op, so a code change can never silently update its own evidence.
 */
final class Histories {

  static final String FLAG = "breakglass.regenerateHistories";
  static final Path FOLDER = Path.of("src/test/resources/histories");

  private Histories() {}

  /**
   * Writes the history of rotation {@code rotationId} as {@code name}, if regeneration was asked
   * for.
   */
  static void recordIfAsked(WorkflowClient client, String rotationId, String name) {
    recordWorkflowIfAsked(client, RotationWorkflow.workflowId(rotationId), name);
  }

  /**
   * Writes the history of workflow {@code workflowId} as {@code name}, if regeneration was asked
   * for.
   */
  static void recordWorkflowIfAsked(WorkflowClient client, String workflowId, String name) {
    if (!Boolean.getBoolean(FLAG)) {
      return;
    }
    WorkflowExecutionHistory history = client.fetchHistory(workflowId);
    try {
      Files.createDirectories(FOLDER);
      Files.writeString(FOLDER.resolve(name + ".json"), history.toJson(true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A checked-in history of rotation {@code rotationId} (the workflow id matters: the workflow
   * refuses to run under another id than {@code rotation-<rotationId>}).
   */
  static WorkflowExecutionHistory load(String name, String rotationId) {
    return loadWorkflow(name, RotationWorkflow.workflowId(rotationId));
  }

  /** A checked-in history of workflow {@code workflowId}. */
  static WorkflowExecutionHistory loadWorkflow(String name, String workflowId) {
    try (InputStream in = Histories.class.getResourceAsStream("/histories/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException(
            "no checked-in history " + name + "; run with -D" + FLAG + "=true");
      }
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), workflowId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
