package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.MetricWatchActivities.Baselines;
import io.breakglass.workflows.activities.MetricWatchActivities.LogScanReport;
import io.breakglass.workflows.activities.MetricWatchActivities.MeasureRequest;
import io.breakglass.workflows.activities.MetricWatchActivities.Measurement;
import io.breakglass.workflows.activities.MetricWatchActivities.WatchRequest;
import io.breakglass.workflows.analysis.MetricAnalysis;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.values.AnalysisPhase;
import io.breakglass.workflows.messages.values.MeasurementOutcome;
import io.breakglass.workflows.messages.values.MetricPlan;
import io.breakglass.workflows.messages.values.MetricWatchPlan;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * METRIC_WATCH: the baselines captured at PLAN, the Prometheus analysis of every metric in
 * parallel, then the log scan. Each measurement is a short activity and the wait between two is a
 * workflow timer, so every measurement is in the history and the timeline (the status query shows
 * it at once), a worker crash loses at most the measurement in flight, and a halt or a decision
 * never waits behind a long-running activity.
 *
 * <p>A failed analysis or a log scan with findings fails the rotation with {@code
 * METRIC_CHECK_FAILED} (the compensations roll it back). Missing data never passes: an inconclusive
 * analysis or an unreadable log stops at a human, who retries, accepts or rolls back.
 */
final class MetricWatch {

  /** The change id that guards METRIC_WATCH's commands, so older histories still replay. */
  static final String CHANGE_ID = "metric-watch";

  private static final List<ResumeAction> INCONCLUSIVE_CHOICES =
      List.of(ResumeAction.RETRY, ResumeAction.ACCEPT, ResumeAction.ROLLBACK);

  private final RotationContext rotation;
  private final Escalations escalations;
  private final Map<String, Double> baselines = new HashMap<>();

  MetricWatch(RotationContext rotation, Escalations escalations) {
    this.rotation = rotation;
    this.escalations = escalations;
  }

  /** True when the plan has a metric watch and this workflow's history runs it. */
  boolean planned() {
    return rotation.plan.metricWatch() != null
        && Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /** Captures the baselines (part of PLAN: before anything changes); returns a summary. */
  String captureBaselines() {
    if (rotation.plan.metricWatch().metrics().stream().noneMatch(MetricPlan::baseline)) {
      return "no baseline to capture";
    }
    Baselines captured =
        rotation.activities.metrics.captureBaselines(new WatchRequest(rotation.rotationId()));
    baselines.putAll(captured.values());
    for (String missing : captured.missing()) {
      rotation.event(TimelineOutcome.INCONCLUSIVE, SYSTEM_ACTOR, "baseline " + missing);
    }
    return captured.values().size()
        + " baseline(s) captured"
        + (captured.missing().isEmpty() ? "" : ", " + captured.missing().size() + " missing");
  }

  /** Runs the phase body; returns its summary or throws {@code METRIC_CHECK_FAILED}. */
  String run() {
    MetricWatchPlan plan = rotation.plan.metricWatch();
    String metrics = "no metric configured";
    if (!plan.metrics().isEmpty()) {
      metrics = untilDecided(this::analyse);
    }
    if (!plan.logScan()) {
      return metrics;
    }
    return metrics + "; " + untilDecided(this::scanLogs);
  }

  /** One pass of a check: a summary when it passed, or why it was inconclusive. */
  private record Pass(boolean conclusive, String summary) {}

  /** Runs {@code check} until it is conclusive or a human accepts it; ROLLBACK throws. */
  private String untilDecided(java.util.function.Supplier<Pass> check) {
    while (true) {
      Pass pass = check.get();
      if (pass.conclusive()) {
        rotation.validations.add("metric watch: " + pass.summary());
        return pass.summary();
      }
      Resume answer =
          escalations.ask(
              "METRIC_WATCH inconclusive, no usable data: " + pass.summary(),
              INCONCLUSIVE_CHOICES,
              List.of(),
              "metric-watch-inconclusive");
      switch (answer.action()) {
        case ACCEPT -> {
          String accepted =
              "inconclusive ("
                  + pass.summary()
                  + ") accepted by "
                  + answer.actor()
                  + (answer.comment() == null ? "" : ": " + answer.comment());
          rotation.event(TimelineOutcome.APPROVED, answer.actor(), "METRIC_WATCH " + accepted);
          rotation.validations.add("metric watch: " + accepted);
          rotation.accepted.add("follow up on METRIC_WATCH " + accepted);
          return accepted;
        }
        case ROLLBACK ->
            throw RotationErrors.ROLLED_BACK_BY_OPERATOR.failure(
                "rolled back by "
                    + answer.actor()
                    + " at an inconclusive METRIC_WATCH: "
                    + answer.comment());
        default -> {
          // RETRY: a fresh pass, with the same baselines.
        }
      }
    }
  }

  private Pass analyse() {
    List<MetricAnalysis> analyses = new ArrayList<>();
    List<Promise<Void>> running = new ArrayList<>();
    for (MetricPlan metric : rotation.plan.metricWatch().metrics()) {
      MetricAnalysis analysis = new MetricAnalysis(metric);
      analyses.add(analysis);
      running.add(Async.procedure(() -> watch(analysis, analyses)));
    }
    Promise.allOf(running).get();
    List<String> summaries = analyses.stream().map(MetricAnalysis::summary).toList();
    AnalysisPhase phase = MetricAnalysis.combined(analyses);
    if (phase == AnalysisPhase.FAILED) {
      throw RotationErrors.METRIC_CHECK_FAILED.failure("metric analysis failed: " + summaries);
    }
    return new Pass(phase == AnalysisPhase.SUCCESSFUL, String.join("; ", summaries));
  }

  /**
   * Measures one metric every interval until its analysis ends, or until another metric's analysis
   * ends without success (the outcome is then decided).
   */
  private void watch(MetricAnalysis analysis, List<MetricAnalysis> all) {
    MetricPlan metric = analysis.plan();
    for (int number = 1; analysis.phase() == AnalysisPhase.RUNNING; number++) {
      if (number > 1 && Workflow.await(metric.interval(), () -> decidedElsewhere(all))) {
        return;
      }
      Measurement measured = measure(metric, number);
      analysis.record(measured.outcome());
      rotation.event(
          timelineOutcome(measured.outcome()),
          SYSTEM_ACTOR,
          "metric "
              + metric.name()
              + " "
              + number
              + "/"
              + metric.count()
              + ": "
              + measured.outcome()
              + (measured.value() == null ? "" : ", value " + measured.value())
              + " ("
              + measured.detail()
              + ")");
    }
  }

  private Measurement measure(MetricPlan metric, int number) {
    try {
      return rotation.activities.metrics.measure(
          new MeasureRequest(
              rotation.rotationId(), metric.name(), number, baselines.get(metric.name())));
    } catch (ActivityFailure failed) {
      // A measurement that cannot be taken is missing data, never a pass.
      return new Measurement(
          metric.name(), number, MeasurementOutcome.ERROR, null, Failures.describe(failed));
    }
  }

  private Pass scanLogs() {
    LogScanReport report;
    try {
      report = rotation.activities.metrics.scanLogs(new WatchRequest(rotation.rotationId()));
    } catch (ActivityFailure failed) {
      return new Pass(false, "log scan did not run: " + Failures.describe(failed));
    }
    if (report.findingCount() > 0) {
      throw RotationErrors.METRIC_CHECK_FAILED.failure(
          "log scan: "
              + report.findingCount()
              + " finding(s) in "
              + report.linesRead()
              + " line(s): "
              + report.findings().stream()
                  .map(f -> f.source() + " line " + f.line() + " " + f.rule())
                  .toList());
    }
    String counts =
        "log scan: "
            + report.linesRead()
            + " line(s), "
            + report.savedEntries()
            + " chart_upload.saved entries";
    if (report.inconclusive()) {
      return new Pass(false, counts + ": " + report.inconclusiveReason());
    }
    return new Pass(true, counts + ", no finding");
  }

  private static boolean decidedElsewhere(List<MetricAnalysis> all) {
    return all.stream()
        .anyMatch(
            a -> a.phase() == AnalysisPhase.FAILED || a.phase() == AnalysisPhase.INCONCLUSIVE);
  }

  private static TimelineOutcome timelineOutcome(MeasurementOutcome outcome) {
    return switch (outcome) {
      case SUCCESSFUL -> TimelineOutcome.SUCCEEDED;
      case FAILED -> TimelineOutcome.FAILED;
      case INCONCLUSIVE, ERROR -> TimelineOutcome.INCONCLUSIVE;
    };
  }
}
