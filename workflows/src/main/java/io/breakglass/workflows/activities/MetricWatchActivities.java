package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.MeasurementOutcome;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

/**
 * METRIC_WATCH: Prometheus measurements and the log scan. Every method only reads, so a retry is
 * always safe. Missing data is never a pass: an empty result, NaN, an HTTP error or an unreachable
 * Prometheus comes back as an INCONCLUSIVE or ERROR measurement, not as an exception.
 */
@ActivityInterface
public interface MetricWatchActivities {

  /**
   * Runs the baseline query of every metric that has one, once, before the rotation changes
   * anything. A baseline without a usable value is listed in {@code missing}; measurements whose
   * conditions need it are then inconclusive.
   */
  Baselines captureBaselines(WatchRequest request);

  /** Takes one measurement of one metric and judges it against the metric's conditions. */
  Measurement measure(MeasureRequest request);

  /**
   * Reads the recent lines of every configured log source and checks them: each {@code
   * chart_upload.saved} entry carries {@code patient_hash}, and no raw-identifier pattern matches.
   * Reports counts, sources, line numbers and pattern names, never the text of a line.
   */
  LogScanReport scanLogs(WatchRequest request);

  /**
   * The pre-flight before the proceed gate: asks Prometheus for its active alerts ({@code GET
   * /api/v1/alerts}) and names the configured {@code preflightAlerts} among them that are firing.
   * An unreachable Prometheus or an unreadable answer comes back as {@code reachable = false}, not
   * as an exception. Reads only.
   */
  PreflightReport preflight(WatchRequest request);

  /**
   * @param rotationId the rotation
   */
  record WatchRequest(String rotationId) {}

  /**
   * @param values baseline value per metric name
   * @param missing "metric: reason" for each baseline that has no usable value
   */
  record Baselines(Map<String, Double> values, List<String> missing) {}

  /**
   * @param rotationId the rotation
   * @param metric the metric's name in the configuration
   * @param number which measurement of the analysis this is, from 1
   * @param baseline the value captured at PLAN, or null when there is none
   */
  record MeasureRequest(String rotationId, String metric, int number, Double baseline) {}

  /**
   * @param metric the metric
   * @param number which measurement of the analysis this is, from 1
   * @param outcome what it said
   * @param value the query's value, or null when there was no finite value
   * @param detail the condition that decided, or why there was no value
   */
  record Measurement(
      String metric, int number, MeasurementOutcome outcome, Double value, String detail) {}

  /**
   * @param reachable whether Prometheus answered with a readable alert list
   * @param checked the configured alert names looked for (may be empty: then only the answer
   *     counts)
   * @param firing the checked alerts in state {@code firing}, by name, sorted, each once
   * @param pending the checked alerts in state {@code pending} (about to fire), by name; they do
   *     not fail the pre-flight
   * @param reason one line: why it failed, or what it found
   */
  record PreflightReport(
      boolean reachable,
      List<String> checked,
      List<String> firing,
      List<String> pending,
      String reason) {

    public PreflightReport {
      checked = checked == null ? List.of() : List.copyOf(checked);
      firing = firing == null ? List.of() : List.copyOf(firing);
      pending = pending == null ? List.of() : List.copyOf(pending);
    }

    /** Prometheus answered and none of the checked alerts is firing. */
    public boolean passed() {
      return reachable && firing.isEmpty();
    }
  }

  /**
   * @param source a log file path (or a pod)
   * @param line the line number within that source, from 1
   * @param rule {@code missing patient_hash} or the name of the raw-identifier pattern that matched
   */
  record LogFinding(String source, long line, String rule) {}

  /**
   * @param linesRead lines read across all sources
   * @param savedEntries {@code chart_upload.saved} entries among them
   * @param findingCount problems found
   * @param findings the first problems, bounded, in source and line order
   * @param unreadable "source: reason" for each source that could not be read
   */
  record LogScanReport(
      long linesRead,
      long savedEntries,
      long findingCount,
      List<LogFinding> findings,
      List<String> unreadable) {

    /**
     * Nothing to judge: a source could not be read, there were no lines at all, or not one {@code
     * chart_upload.saved} entry among them (the rule about them held for none, so it proves
     * nothing).
     */
    public boolean inconclusive() {
      return inconclusiveReason() != null;
    }

    /** Why the scan proves nothing, or null when it is conclusive. */
    public String inconclusiveReason() {
      if (!unreadable.isEmpty()) {
        return "unreadable: " + unreadable;
      }
      if (linesRead == 0) {
        return "no line in the window";
      }
      return savedEntries == 0 ? "no chart_upload.saved entry in the window" : null;
    }

    /** Lines were read and none had a problem. */
    public boolean passed() {
      return findingCount == 0 && !inconclusive();
    }
  }
}
