package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.MetricWatchActivities.PreflightReport;
import io.breakglass.workflows.activities.MetricWatchActivities.WatchRequest;
import io.breakglass.workflows.messages.queries.PreflightView;
import io.breakglass.workflows.messages.queries.PreflightView.State;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.MetricWatchPlan;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The runbook's "verify the monitoring dashboards for error budgets and alerting" before anything
 * changes: as the proceed gate opens, Prometheus must answer and none of the configured alerts may
 * be firing. A failed pre-flight does not stop the rotation by itself (an emergency may have to go
 * ahead while an alert fires); it makes the proceed gate take only approvals that override it, so
 * whoever proceeds does so knowingly and on the record ({@link ApprovalGate#requireOverride}).
 */
final class Preflight {

  /** The change id that guards the pre-flight's commands, so older histories still replay. */
  static final String CHANGE_ID = "preflight-alerts";

  private final RotationContext rotation;

  Preflight(RotationContext rotation) {
    this.rotation = rotation;
  }

  /**
   * Runs the pre-flight in phase GATE_PROCEED and records it in the timeline and in {@code
   * rotation.preflight}; histories from before the pre-flight skip it without a trace.
   */
  void run() {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    rotation.phase = GateName.PROCEED.phase();
    MetricWatchPlan watch = rotation.plan.metricWatch();
    if (watch == null || !watch.preflight()) {
      String why =
          watch == null
              ? "rotation.metricWatch is not configured"
              : "rotation.metricWatch has no prometheus URL";
      rotation.preflight = new PreflightView(State.NOT_CONFIGURED, why, List.of(), List.of());
      rotation.event(TimelineOutcome.SKIPPED, SYSTEM_ACTOR, "pre-flight not configured: " + why);
      return;
    }
    PreflightReport report;
    try {
      report = rotation.activities.metrics.preflight(new WatchRequest(rotation.rotationId()));
    } catch (ActivityFailure failed) {
      // A pre-flight that cannot run proves nothing: it fails, and the gate needs an override.
      report =
          new PreflightReport(
              false,
              List.of(),
              List.of(),
              List.of(),
              "the pre-flight did not run: " + Failures.describe(failed));
    }
    State state = report.passed() ? State.PASSED : State.FAILED;
    rotation.preflight = new PreflightView(state, report.reason(), report.firing(), List.of());
    rotation.event(
        report.passed() ? TimelineOutcome.SUCCEEDED : TimelineOutcome.FAILED,
        SYSTEM_ACTOR,
        "pre-flight "
            + state
            + ": "
            + report.reason()
            + (report.passed() ? "" : "; gate PROCEED takes only approvals that override it"));
    rotation.validations.add("pre-flight " + state + ": " + report.reason());
  }
}
