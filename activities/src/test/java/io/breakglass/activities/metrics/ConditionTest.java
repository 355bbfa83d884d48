package io.breakglass.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {

  @ParameterizedTest
  @CsvSource({
    "'result > 0', 1, 0, true",
    "'result > 0', 0, 0, false",
    "'result >= 0', 0, 0, true",
    "'result < 2.5', 2.4, 0, true",
    "'result <= 2', 2.01, 0, false",
    "'result == 3', 3, 0, true",
    "'result != 3', 3, 0, false",
    "'result <= baseline * 1.5 + 1', 4, 2, true",
    "'result <= baseline * 1.5 + 1', 4.01, 2, false",
    "'result > baseline - 1', 1.5, 2, true",
    "'result<=baseline*2', 4, 2, true",
    "'  result   >   baseline  ', 3, 2, true"
  })
  void aConditionCompares_theResultWithItsBound(
      String text, double result, double baseline, boolean holds) {
    assertThat(Condition.parse(text).test(result, baseline)).isEqualTo(holds);
  }

  @Test
  void multiplicationBindsTighterThanAddition() {
    // 1 + 2 * 3 is 7, not 9.
    assertThat(Condition.parse("result == 1 + 2 * 3").test(7, 0)).isTrue();
    assertThat(Condition.parse("result == 1 + 2 * 3").test(9, 0)).isFalse();
  }

  @Test
  void usesBaseline_onlyWhenTheWordAppears() {
    assertThat(Condition.parse("result <= baseline * 2").usesBaseline()).isTrue();
    assertThat(Condition.parse("result > 0").usesBaseline()).isFalse();
  }

  @Test
  void toString_isTheConditionAsWritten() {
    assertThat(Condition.parse(" result > 0 ")).hasToString("result > 0");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "value > 0 | expected 'result' at position 1",
        "result >> 0 | expected a number or 'baseline' at position 9",
        "result = 0 | expected a comparison (<, <=, >, >=, ==, !=) at position 8",
        "result > | expected a number or 'baseline' at position 9",
        "result > 0 and result < 5 | unexpected 'a' at position 12",
        "result > baselines | expected 'baseline' at position 10",
        "resultant > 0 | expected 'result' at position 1",
        "result > 1.2.3 | malformed number at position 10",
        "result > (1 + 2) | expected a number or 'baseline' at position 10"
      })
  void aMalformedCondition_isRefusedWithWhatWasExpectedAndWhere(String text, String problem) {
    assertThatThrownBy(() -> Condition.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("condition '" + text + "': " + problem);
  }

  @Test
  void anEmptyCondition_isRefused() {
    assertThatThrownBy(() -> Condition.parse(" ")).hasMessageContaining("empty");
  }
}
