package io.breakglass.activities.logscan;

import io.breakglass.workflows.activities.MetricWatchActivities.LogFinding;
import io.breakglass.workflows.activities.MetricWatchActivities.LogScanReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks recent log lines: every {@code chart_upload.saved} entry carries a non-empty {@code
 * patient_hash}, and no raw-identifier pattern matches. A finding names the source, the line number
 * and the rule, never the text, so the report (which lands in the workflow history, the timeline
 * and notifications) cannot leak what it found.
 */
public final class LogScanner {

  /** A finding's rule when a saved chart upload lacks its patient hash. */
  public static final String MISSING_PATIENT_HASH = "chart_upload.saved without patient_hash";

  private static final String SAVED = "chart_upload.saved";
  private static final Pattern PATIENT_HASH =
      Pattern.compile("\"?patient_hash\"?\\s*[:=]\\s*\"?[^\\s\",}]+");

  private final Map<String, Pattern> patterns;
  private final int maxListed;

  /**
   * @param patterns raw-identifier patterns by name
   * @param maxListed how many findings the report lists at most (all are counted)
   */
  public LogScanner(Map<String, Pattern> patterns, int maxListed) {
    this.patterns = Map.copyOf(patterns);
    this.maxListed = maxListed;
  }

  /** Reads the last {@code maxLines} lines of each source and checks them. */
  public LogScanReport scan(List<LogSource> sources, int maxLines) {
    long lines = 0;
    long saved = 0;
    long found = 0;
    List<LogFinding> findings = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (LogSource source : sources) {
      List<LogLine> recent;
      try {
        recent = source.recent(maxLines);
      } catch (IOException e) {
        unreadable.add(source.name() + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        continue;
      }
      for (LogLine line : recent) {
        lines++;
        List<String> rules = new ArrayList<>();
        if (line.text().contains(SAVED)) {
          saved++;
          if (!PATIENT_HASH.matcher(line.text()).find()) {
            rules.add(MISSING_PATIENT_HASH);
          }
        }
        patterns.entrySet().stream()
            .filter(p -> p.getValue().matcher(line.text()).find())
            .map(Map.Entry::getKey)
            .sorted()
            .forEach(rules::add);
        for (String rule : rules) {
          found++;
          if (findings.size() < maxListed) {
            findings.add(new LogFinding(source.name(), line.number(), rule));
          }
        }
      }
    }
    return new LogScanReport(lines, saved, found, List.copyOf(findings), List.copyOf(unreadable));
  }
}
