package io.breakglass.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.workflows.activities.MetricWatchActivities.Measurement;
import io.breakglass.workflows.messages.values.MeasurementOutcome;
import org.junit.jupiter.api.Test;

class MetricConditionsTest {

  private static final MetricConditions BOTH =
      new MetricConditions(Condition.parse("result < 5"), Condition.parse("result > 10"));
  private static final MetricConditions SUCCESS_ONLY =
      new MetricConditions(Condition.parse("result > 0"), null);
  private static final MetricConditions FAILURE_ONLY =
      new MetricConditions(null, Condition.parse("result > baseline * 1.5 + 1"));

  private static MeasurementOutcome judge(
      MetricConditions conditions, QueryResult result, Double baseline) {
    return conditions.judge("m", 1, result, baseline).outcome();
  }

  private static QueryResult value(double v) {
    return new QueryResult.Value(v);
  }

  @Test
  void withBothConditions_eachDecidesItsSide_andTheGapBetweenIsInconclusive() {
    assertThat(judge(BOTH, value(1), null)).isEqualTo(MeasurementOutcome.SUCCESSFUL);
    assertThat(judge(BOTH, value(11), null)).isEqualTo(MeasurementOutcome.FAILED);
    assertThat(judge(BOTH, value(7), null)).isEqualTo(MeasurementOutcome.INCONCLUSIVE);
  }

  @Test
  void aFailureConditionIsTriedFirst() {
    MetricConditions overlapping =
        new MetricConditions(Condition.parse("result > 0"), Condition.parse("result > 10"));

    assertThat(judge(overlapping, value(11), null)).isEqualTo(MeasurementOutcome.FAILED);
  }

  @Test
  void withOneCondition_itsOppositeDecides() {
    assertThat(judge(SUCCESS_ONLY, value(0), null)).isEqualTo(MeasurementOutcome.FAILED);
    assertThat(judge(SUCCESS_ONLY, value(3), null)).isEqualTo(MeasurementOutcome.SUCCESSFUL);
    assertThat(judge(FAILURE_ONLY, value(4), 2.0)).isEqualTo(MeasurementOutcome.SUCCESSFUL);
    assertThat(judge(FAILURE_ONLY, value(4.5), 2.0)).isEqualTo(MeasurementOutcome.FAILED);
  }

  @Test
  void noData_isInconclusive_andNoAnswer_isAnError_neverSuccessful() {
    assertThat(judge(FAILURE_ONLY, new QueryResult.NoData("empty result"), 2.0))
        .isEqualTo(MeasurementOutcome.INCONCLUSIVE);
    assertThat(judge(FAILURE_ONLY, new QueryResult.Failed("unreachable"), 2.0))
        .isEqualTo(MeasurementOutcome.ERROR);
  }

  @Test
  void aConditionOnAMissingBaseline_isInconclusive_keepingTheValue() {
    Measurement measurement = FAILURE_ONLY.judge("egress", 2, value(0), null);

    assertThat(measurement.outcome()).isEqualTo(MeasurementOutcome.INCONCLUSIVE);
    assertThat(measurement.value()).isEqualTo(0.0);
    assertThat(measurement.detail()).contains("baseline");
    assertThat(measurement.number()).isEqualTo(2);
  }

  @Test
  void negativeControl_theSameValueWithItsBaseline_isDecided() {
    assertThat(judge(FAILURE_ONLY, value(0), 0.0)).isEqualTo(MeasurementOutcome.SUCCESSFUL);
  }

  @Test
  void theDetail_namesTheConditionThatDecided_andTheBaseline() {
    assertThat(FAILURE_ONLY.judge("egress", 1, value(9), 2.0).detail())
        .isEqualTo("result > baseline * 1.5 + 1; baseline 2.0");
  }

  @Test
  void aMetricWithoutConditions_isRefused() {
    assertThatThrownBy(() -> new MetricConditions(null, null))
        .hasMessageContaining("successCondition");
  }
}
