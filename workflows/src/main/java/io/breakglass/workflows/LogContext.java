package io.breakglass.workflows;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The fields every log line written for a rotation carries, as SLF4J MDC keys, and where a workflow
 * keeps its rotation id and current phase for them.
 *
 * <p>The worker's log context interceptor puts the fields into the MDC of each workflow thread and
 * activity call and removes them after; {@link ContextLogger} refreshes the rotation id and phase
 * at each line, since the phase changes while a workflow thread is blocked. Workflows and
 * activities started by a workflow inherit its rotation id and phase through the headers {@link
 * #ROTATION_ID_HEADER} and {@link #PHASE_HEADER}.
 */
public final class LogContext {

  public static final String ROTATION_ID = "rotationId";
  public static final String WORKFLOW_ID = "workflowId";
  public static final String RUN_ID = "runId";
  public static final String PHASE = "phase";
  public static final String ACTIVITY_TYPE = "activityType";

  /** Header carrying the rotation id to the activities and child workflows a workflow starts. */
  public static final String ROTATION_ID_HEADER = "breakglass-rotation-id";

  /** Header carrying the phase the starting workflow was in. */
  public static final String PHASE_HEADER = "breakglass-phase";

  private static final WorkflowLocal<Source> SOURCE = WorkflowLocal.withCachedInitial(Source::new);

  private LogContext() {}

  /**
   * Workflow code: this workflow runs rotation {@code rotationId}, currently in the phase {@code
   * phase} returns. Replaces what the workflow inherited from the one that started it.
   */
  public static void rotation(String rotationId, Supplier<?> phase) {
    Source source = SOURCE.get();
    source.rotationId = rotationId;
    source.phase = phase;
  }

  /** Workflow code: the rotation id and phase this workflow inherited, if it sets none itself. */
  public static void inherit(String rotationId, String phase) {
    rotation(rotationId, () -> phase);
  }

  /** Workflow code: the rotation this workflow belongs to, or null. */
  public static String rotationId() {
    return SOURCE.get().rotationId;
  }

  /** Workflow code: the current phase's name, or null. */
  public static String phase() {
    Object phase = SOURCE.get().phase.get();
    return phase == null ? null : phase.toString();
  }

  /** Workflow code: puts every field of this workflow into the current thread's MDC. */
  public static void putWorkflowFields() {
    MDC.put(WORKFLOW_ID, Workflow.getInfo().getWorkflowId());
    MDC.put(RUN_ID, Workflow.getInfo().getRunId());
    refresh();
  }

  /**
   * Workflow code: brings the rotation id and phase in the MDC up to date, on a thread whose fields
   * the interceptor put only (without it nothing is added).
   */
  static void refresh() {
    if (!WorkflowUnsafe.isWorkflowThread() || MDC.get(WORKFLOW_ID) == null) {
      return;
    }
    putOrRemove(ROTATION_ID, rotationId());
    putOrRemove(PHASE, phase());
  }

  /** Removes every field from the current thread's MDC. */
  public static void removeFields() {
    MDC.remove(ROTATION_ID);
    MDC.remove(WORKFLOW_ID);
    MDC.remove(RUN_ID);
    MDC.remove(PHASE);
    MDC.remove(ACTIVITY_TYPE);
  }

  /** Puts {@code value} under {@code key}, or removes the key when there is no value. */
  public static void putOrRemove(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  private static final class Source {
    private String rotationId;
    private Supplier<?> phase = () -> null;
  }
}
