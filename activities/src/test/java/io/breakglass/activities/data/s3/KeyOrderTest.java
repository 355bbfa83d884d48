package io.breakglass.activities.data.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyOrderTest {

  private static final String ABOVE_BMP = new String(Character.toChars(0x1F600));

  @Test
  void keysCompareInCodePointOrder_asS3ListsThem_evenWhereJavasOrderDiffers() {
    assertThat(KeyOrder.compare("chart-\uFFFF", "chart-" + ABOVE_BMP)).isNegative();
    // The negative control: Java's own order puts them the other way round.
    assertThat(("chart-\uFFFF").compareTo("chart-" + ABOVE_BMP)).isPositive();
    assertThat(KeyOrder.compare("a/b", "a/b")).isZero();
    assertThat(KeyOrder.compare("a/b", "a/b0")).isNegative();
  }

  @Test
  void theKeyBefore_sortsJustBelowTheKey_soAListingAfterItIncludesTheKey() {
    for (String key :
        new String[] {"patient-01/chart-0015.pdf", "b", "x" + ABOVE_BMP, "k\uE000", "a\u0000"}) {
      String before = KeyOrder.before(key);
      assertThat(KeyOrder.compare(before, key)).as(key).isNegative();
    }
    assertThat(KeyOrder.before("chart-0015")).isEqualTo("chart-0014");
    assertThat(KeyOrder.before("k\uE000")).isEqualTo("k\uD7FF");
  }
}
