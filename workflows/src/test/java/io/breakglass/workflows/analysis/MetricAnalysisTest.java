package io.breakglass.workflows.analysis;

import static io.breakglass.workflows.messages.values.MeasurementOutcome.ERROR;
import static io.breakglass.workflows.messages.values.MeasurementOutcome.FAILED;
import static io.breakglass.workflows.messages.values.MeasurementOutcome.INCONCLUSIVE;
import static io.breakglass.workflows.messages.values.MeasurementOutcome.SUCCESSFUL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.workflows.messages.values.AnalysisPhase;
import io.breakglass.workflows.messages.values.MeasurementOutcome;
import io.breakglass.workflows.messages.values.MetricPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricAnalysisTest {

  private static MetricAnalysis analysis(int count, int failureLimit, int inconclusiveLimit) {
    return new MetricAnalysis(
        new MetricPlan(
            "egress", Duration.ofSeconds(1), count, failureLimit, inconclusiveLimit, false));
  }

  private static AnalysisPhase run(MetricAnalysis analysis, MeasurementOutcome... outcomes) {
    AnalysisPhase phase = analysis.phase();
    for (MeasurementOutcome outcome : outcomes) {
      phase = analysis.record(outcome);
    }
    return phase;
  }

  @Test
  void countSuccessfulMeasurements_endSuccessful_andNotOneBefore() {
    MetricAnalysis analysis = analysis(3, 0, 0);

    assertThat(run(analysis, SUCCESSFUL, SUCCESSFUL)).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(run(analysis, SUCCESSFUL)).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(analysis.taken()).isEqualTo(3);
  }

  @Test
  void oneFailureOverTheLimit_endsFailedAtOnce() {
    MetricAnalysis analysis = analysis(5, 1, 0);

    assertThat(run(analysis, FAILED)).as("within the limit").isEqualTo(AnalysisPhase.RUNNING);
    assertThat(run(analysis, FAILED)).isEqualTo(AnalysisPhase.FAILED);
    assertThat(analysis.taken()).isEqualTo(2);
  }

  @Test
  void failuresWithinTheLimit_stillEndSuccessful() {
    assertThat(run(analysis(3, 1, 0), SUCCESSFUL, FAILED, SUCCESSFUL))
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void inconclusiveAndErrorMeasurements_countTogetherAgainstTheInconclusiveLimit() {
    MetricAnalysis analysis = analysis(5, 0, 1);

    assertThat(run(analysis, INCONCLUSIVE)).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(run(analysis, ERROR)).isEqualTo(AnalysisPhase.INCONCLUSIVE);
  }

  @Test
  void withTheDefaultLimits_anyMissingData_isInconclusive_neverAPass() {
    assertThat(run(analysis(3, 0, 0), SUCCESSFUL, INCONCLUSIVE))
        .isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(run(analysis(3, 0, 0), ERROR)).isEqualTo(AnalysisPhase.INCONCLUSIVE);
  }

  @Test
  void anAnalysisWithoutASingleSuccessfulMeasurement_isInconclusive_evenWithinGenerousLimits() {
    assertThat(run(analysis(2, 0, 5), INCONCLUSIVE, ERROR)).isEqualTo(AnalysisPhase.INCONCLUSIVE);
  }

  @Test
  void negativeControl_oneSuccessAmongToleratedGaps_isSuccessful() {
    // The rule above must not forbid every gap: within the limit, one real value passes.
    assertThat(run(analysis(2, 0, 5), INCONCLUSIVE, SUCCESSFUL))
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void aFailureBeatsInconclusive_whenBothLimitsBreakAtOnce() {
    MetricAnalysis analysis = analysis(4, 0, 0);

    assertThat(run(analysis, FAILED)).isEqualTo(AnalysisPhase.FAILED);
  }

  @Test
  void anEndedAnalysis_refusesMoreMeasurements() {
    MetricAnalysis analysis = analysis(1, 0, 0);
    run(analysis, SUCCESSFUL);

    assertThatThrownBy(() -> analysis.record(FAILED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("egress")
        .hasMessageContaining("SUCCESSFUL");
  }

  @Test
  void aPlanWithoutMeasurements_isRefused() {
    assertThatThrownBy(() -> analysis(0, 0, 0)).hasMessageContaining("count");
    assertThatThrownBy(() -> analysis(1, -1, 0)).hasMessageContaining("limits");
  }

  @Test
  void combined_isTheWorstPhase_failedBeforeInconclusiveBeforeRunning() {
    MetricAnalysis passed = analysis(1, 0, 0);
    run(passed, SUCCESSFUL);
    MetricAnalysis running = analysis(3, 0, 0);
    run(running, SUCCESSFUL);
    MetricAnalysis inconclusive = analysis(1, 0, 0);
    run(inconclusive, INCONCLUSIVE);
    MetricAnalysis failed = analysis(1, 0, 0);
    run(failed, FAILED);

    assertThat(MetricAnalysis.combined(List.of(passed))).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(MetricAnalysis.combined(List.of(passed, running))).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(MetricAnalysis.combined(List.of(running, inconclusive)))
        .isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(MetricAnalysis.combined(List.of(inconclusive, failed, passed)))
        .isEqualTo(AnalysisPhase.FAILED);
  }

  @Test
  void summary_namesTheCountsAndLimits() {
    MetricAnalysis analysis = analysis(3, 1, 0);
    run(analysis, SUCCESSFUL, FAILED, FAILED);

    assertThat(analysis.summary())
        .isEqualTo(
            "egress FAILED: 1 successful, 2 failed (limit 1), 0 inconclusive or error (limit 0) of 3");
  }

  /**
   * Seeded random sequences against a direct restatement of the rules: the analysis never reports
   * SUCCESSFUL with a limit broken or before count, and always stops at the first broken limit.
   */
  @Test
  void randomSequences_agreeWithTheRulesRestated() {
    long seed = Long.getLong("breakglass.analysis.seed", System.nanoTime());
    Random random = new Random(seed);
    MeasurementOutcome[] outcomes = MeasurementOutcome.values();
    for (int run = 0; run < 2_000; run++) {
      int count = 1 + random.nextInt(6);
      int failureLimit = random.nextInt(3);
      int inconclusiveLimit = random.nextInt(3);
      MetricAnalysis analysis = analysis(count, failureLimit, inconclusiveLimit);
      List<MeasurementOutcome> seen = new ArrayList<>();
      while (analysis.phase() == AnalysisPhase.RUNNING) {
        MeasurementOutcome next = outcomes[random.nextInt(outcomes.length)];
        seen.add(next);
        AnalysisPhase phase = analysis.record(next);
        long failed = seen.stream().filter(o -> o == FAILED).count();
        long missing = seen.stream().filter(o -> o == INCONCLUSIVE || o == ERROR).count();
        long passed = seen.stream().filter(o -> o == SUCCESSFUL).count();
        AnalysisPhase expected =
            failed > failureLimit
                ? AnalysisPhase.FAILED
                : missing > inconclusiveLimit
                    ? AnalysisPhase.INCONCLUSIVE
                    : seen.size() < count
                        ? AnalysisPhase.RUNNING
                        : passed == 0 ? AnalysisPhase.INCONCLUSIVE : AnalysisPhase.SUCCESSFUL;
        assertThat(phase).as("seed " + seed + ", sequence " + seen).isEqualTo(expected);
      }
    }
  }
}
