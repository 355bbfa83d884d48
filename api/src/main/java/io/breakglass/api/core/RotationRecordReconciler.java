package io.breakglass.api.core;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.lock.HolderUnknownException;
import io.breakglass.activities.lock.TemporalHolderWorkflows;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the records of rotations whose workflow ended without closing them: terminated or timed
 * out in Temporal (none of their own code ran after, compensations included), or gone from it (an
 * embedded server's history lost with the process, or past the namespace's retention). A record the
 * rotation closed itself is never touched, one whose workflow still runs stays RUNNING, and when
 * Temporal does not answer every record stays as it is. Thread-safe.
 */
public final class RotationRecordReconciler {

  private static final Logger log = LoggerFactory.getLogger(RotationRecordReconciler.class);

  private final TemporalHolderWorkflows workflows;
  private final RotationHistory history;
  private final Clock clock;

  public RotationRecordReconciler(WorkflowClient client, RotationHistory history, Clock clock) {
    this.workflows = new TemporalHolderWorkflows(client);
    this.history = history;
    this.clock = clock;
  }

  /**
   * {@code row} as it stands after comparing it with Temporal: closed with its workflow's real end
   * when it was RUNNING and its workflow is not, unchanged otherwise.
   */
  public RotationRow reconcile(RotationRow row) {
    return compared(row).orElse(row);
  }

  /**
   * {@code rows} reconciled in order. Once Temporal leaves one unanswered, the rest are returned as
   * stored: a list waits for one timeout while Temporal is down, not for one per running rotation.
   */
  public List<RotationRow> reconcile(List<RotationRow> rows) {
    Compared compared = compare(rows);
    List<RotationRow> reconciled = new ArrayList<>(compared.answered());
    reconciled.addAll(rows.subList(compared.answered().size(), rows.size()));
    return reconciled;
  }

  /** Reconciles every record still RUNNING; returns how many it closed. */
  public int sweep() {
    return (int)
        reconcile(history.running()).stream()
            .filter(row -> row.state() != RotationState.RUNNING)
            .count();
  }

  /**
   * Every record still RUNNING, compared with Temporal as {@link #reconcile(List)} compares them:
   * those Temporal answered for, as they stand now, and how many it left unanswered.
   */
  public Compared running() {
    return compare(history.running());
  }

  /**
   * What a comparison found.
   *
   * @param answered the first rows, up to the first Temporal left unanswered, as they stand now
   * @param unanswered the rows after those, left as stored
   */
  public record Compared(List<RotationRow> answered, int unanswered) {}

  private Compared compare(List<RotationRow> rows) {
    List<RotationRow> answered = new ArrayList<>(rows.size());
    for (RotationRow row : rows) {
      Optional<RotationRow> now = compared(row);
      if (now.isEmpty()) {
        break;
      }
      answered.add(now.get());
    }
    return new Compared(List.copyOf(answered), rows.size() - answered.size());
  }

  /** {@code row} after comparing it with Temporal, or empty when Temporal did not answer. */
  private Optional<RotationRow> compared(RotationRow row) {
    if (row.state() != RotationState.RUNNING || row.workflowId() == null) {
      return Optional.of(row);
    }
    Optional<End> end;
    try {
      end = end(row.workflowId());
    } catch (HolderUnknownException e) {
      log.warn("rotation {}: {}", row.rotationId(), e.getMessage());
      return Optional.empty();
    }
    if (end.isEmpty()) {
      return Optional.of(row);
    }
    if (history.settle(row.rotationId(), end.get().state(), end.get().at(), end.get().why())) {
      log.warn(
          "rotation {} was still recorded as running; its record now says {}: {}",
          row.rotationId(),
          end.get().state(),
          end.get().why());
    }
    return Optional.of(history.find(row.rotationId()).orElse(row));
  }

  /** How the workflow ended, or empty while it runs. */
  private Optional<End> end(String workflowId) {
    Optional<WorkflowExecutionDescription> described = workflows.describe(workflowId);
    if (described.isEmpty()) {
      return Optional.of(
          new End(
              RotationState.GONE,
              clock.instant(),
              "Temporal has no workflow "
                  + workflowId
                  + " (its history was lost, or is past retention); no clean-up of its own ran"));
    }
    WorkflowExecutionDescription workflow = described.get();
    Instant closed = workflow.getCloseTime() == null ? clock.instant() : workflow.getCloseTime();
    return switch (workflow.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_TERMINATED ->
          Optional.of(
              new End(
                  RotationState.TERMINATED, closed, "terminated in Temporal; no compensation ran"));
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT ->
          Optional.of(
              new End(
                  RotationState.TIMED_OUT,
                  closed,
                  "its workflow timed out in Temporal; no compensation ran"));
      case WORKFLOW_EXECUTION_STATUS_CANCELED ->
          Optional.of(
              new End(
                  RotationState.FAILED,
                  closed,
                  "cancelled in Temporal before it recorded its end"));
      case WORKFLOW_EXECUTION_STATUS_FAILED ->
          Optional.of(
              new End(
                  RotationState.FAILED, closed, "its workflow failed before it recorded its end"));
      case WORKFLOW_EXECUTION_STATUS_COMPLETED ->
          Optional.of(
              new End(
                  RotationState.COMPLETED,
                  closed,
                  "its workflow completed without recording its end"));
      default -> Optional.empty();
    };
  }

  private record End(RotationState state, Instant at, String why) {}
}
