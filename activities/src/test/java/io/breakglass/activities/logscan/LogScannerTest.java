package io.breakglass.activities.logscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.metrics.MetricWatchActivitiesImpl;
import io.breakglass.workflows.activities.MetricWatchActivities.LogFinding;
import io.breakglass.workflows.activities.MetricWatchActivities.LogScanReport;
import io.breakglass.workflows.activities.MetricWatchActivities.WatchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The log scan through the activity, on real files, as the worker runs it. */
class LogScannerTest {

  private static final List<String> CLEAN =
      List.of(
          "2026-11-28T10:00:00Z INFO request GET /health 200",
          "{\"ts\":\"2026-11-28T10:00:01Z\",\"event\":\"chart_upload.saved\",\"patient_hash\":\"9f2c1ab0\",\"bytes\":4096}",
          "{\"ts\":\"2026-11-28T10:00:02Z\",\"event\":\"prompt.redacted\",\"count\":3}",
          "{\"ts\":\"2026-11-28T10:00:03Z\",\"event\":\"chart_upload.saved\",\"patient_hash\":\"77aa01fe\",\"bytes\":512}");

  @TempDir Path folder;

  private LogScanReport scan(List<String> lines) throws Exception {
    return scan(lines, 10_000);
  }

  private LogScanReport scan(List<String> lines, int maxLines) throws Exception {
    Path log = folder.resolve("app.log");
    Files.write(log, lines);
    MetricWatchConfig config =
        new MetricWatchConfig(null, null, null, new LogScanConfig(List.of(log), maxLines, null));
    return new MetricWatchActivitiesImpl(config, () -> ScannedLogs.files(config))
        .scanLogs(new WatchRequest("r1"));
  }

  private static List<String> plant(String line) {
    List<String> lines = new ArrayList<>(CLEAN);
    lines.add(2, line);
    return lines;
  }

  @Test
  void aCleanLog_passes_withItsCounts() throws Exception {
    LogScanReport report = scan(CLEAN);

    assertThat(report.passed()).isTrue();
    assertThat(report.linesRead()).isEqualTo(4);
    assertThat(report.savedEntries()).isEqualTo(2);
    assertThat(report.findings()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MRN | 'lookup failed for mrn: A1234567'",
        "SSN | 'patient 123-45-6789 not found'",
        "DOB | '{\"event\":\"intake\",\"dob\":\"1984-03-07\"}'",
        "NAME | '{\"event\":\"intake\",\"patient_name\":\"Jane Roe\"}'"
      })
  void aPlantedRawIdentifier_failsWithItsLineNumber_andItsTextAppearsNowhere(
      String rule, String planted) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    LogScanReport report;
    try {
      report = scan(plant(planted));
    } finally {
      root.detachAppender(logs);
    }

    assertThat(report.passed()).isFalse();
    assertThat(report.findings())
        .containsExactly(new LogFinding(folder.resolve("app.log").toString(), 3, rule));
    String secretPart = planted.replaceAll(".*(A1234567|123-45-6789|1984-03-07|Jane Roe).*", "$1");
    assertThat(report.toString()).doesNotContain(secretPart);
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(secretPart));
  }

  @Test
  void aSavedChartUploadWithoutPatientHash_fails() throws Exception {
    LogScanReport report = scan(plant("{\"event\":\"chart_upload.saved\",\"bytes\":100}"));

    assertThat(report.findings())
        .extracting(LogFinding::line, LogFinding::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, LogScanner.MISSING_PATIENT_HASH));
    assertThat(report.savedEntries()).isEqualTo(3);
  }

  @Test
  void anEmptyPatientHash_countsAsMissing() throws Exception {
    assertThat(
            scan(plant("{\"event\":\"chart_upload.saved\",\"patient_hash\":\"\"}")).findingCount())
        .isEqualTo(1);
  }

  @Test
  void negativeControl_timestampsAndHashesInACleanLog_doNotLookLikeIdentifiers() throws Exception {
    // The clean lines hold ISO dates and hex hashes: the DOB and SSN patterns must need more.
    assertThat(scan(CLEAN).findingCount()).isZero();
  }

  @Test
  void onlyTheLastMaxLines_areRead_withTheFilesLineNumbers() throws Exception {
    List<String> lines = plant("ssn 123-45-6789");
    lines.add("tail line");

    LogScanReport lastTwo = scan(lines, 2);
    LogScanReport all = scan(lines, 100);

    assertThat(lastTwo.linesRead()).isEqualTo(2);
    assertThat(lastTwo.findingCount()).isZero();
    assertThat(all.findings()).extracting(LogFinding::line).containsExactly(3L);
  }

  @Test
  void aLogWithoutASavedChartUpload_isInconclusive_notAPass() throws Exception {
    LogScanReport report = scan(List.of(CLEAN.get(0), CLEAN.get(2)));

    assertThat(report.linesRead()).isEqualTo(2);
    assertThat(report.findingCount()).isZero();
    assertThat(report.inconclusive()).isTrue();
    assertThat(report.passed()).isFalse();
    assertThat(report.inconclusiveReason()).isEqualTo("no chart_upload.saved entry in the window");
  }

  @Test
  void savedChartUploadsBeforeTheWindow_doNotCount() throws Exception {
    List<String> lines = new ArrayList<>(CLEAN);
    lines.add("2026-11-28T10:00:04Z INFO request GET /health 200");

    LogScanReport lastLine = scan(lines, 1);
    LogScanReport wholeFile = scan(lines, 100);

    assertThat(lastLine.inconclusiveReason())
        .isEqualTo("no chart_upload.saved entry in the window");
    assertThat(wholeFile.inconclusiveReason())
        .as("negative control: the same log, uploads in the window")
        .isNull();
    assertThat(wholeFile.passed()).isTrue();
  }

  @Test
  void aMissingFile_isInconclusive_notAPass() throws Exception {
    Path absent = folder.resolve("absent.log");
    MetricWatchConfig config =
        new MetricWatchConfig(null, null, null, new LogScanConfig(List.of(absent), 0, null));

    LogScanReport report =
        new MetricWatchActivitiesImpl(config, () -> ScannedLogs.files(config))
            .scanLogs(new WatchRequest("r1"));

    assertThat(report.inconclusive()).isTrue();
    assertThat(report.passed()).isFalse();
    assertThat(report.unreadable())
        .containsExactly(absent + ": cannot be read (NoSuchFileException)");
    assertThat(report.inconclusiveReason()).startsWith("unreadable: [" + absent);
  }

  @Test
  void aConfiguredPattern_replacesTheDefaultOfItsName_andNewNamesAdd() {
    Map<String, ?> patterns =
        new LogScanConfig(
                List.of(), 0, Map.of("SSN", "never-matches-\\d", "EMAIL", "@example\\.org"))
            .compiledPatterns();

    assertThat(patterns).containsOnlyKeys("DOB", "EMAIL", "MRN", "NAME", "SSN");
    assertThat(patterns.get("SSN").toString()).isEqualTo("never-matches-\\d");
  }

  @Test
  void aPatternThatDoesNotCompile_isAConfigurationError_namingIt() {
    assertThatThrownBy(() -> new LogScanConfig(List.of(), 0, Map.of("MRN", "(unclosed")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("logScan: pattern MRN does not compile");
  }
}
