package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  private final AtomicLong nanos = new AtomicLong();
  private final List<Long> sleeps = new ArrayList<>();
  private final Throttle.Sleeper clockAdvancingSleeper =
      millis -> {
        sleeps.add(millis);
        nanos.addAndGet(millis * 1_000_000);
      };

  @Test
  void aShardAheadOfItsRate_waitsUntilItIsWithinIt_inSlicesWithAKeepAliveBetween() {
    Throttle throttle = new Throttle(1_000, nanos::get, clockAdvancingSleeper);
    int[] keepAlives = {0};

    throttle.pace(2_500, () -> keepAlives[0]++);

    assertThat(sleeps).containsExactly(1_000L, 1_000L, 500L);
    assertThat(keepAlives[0]).isEqualTo(3);
  }

  @Test
  void aShardBehindItsRate_doesNotWait() {
    Throttle throttle = new Throttle(1_000, nanos::get, clockAdvancingSleeper);
    nanos.addAndGet(5_000_000_000L);

    throttle.pace(2_500, () -> {});

    assertThat(sleeps).isEmpty();
  }

  @Test
  void noLimit_neverWaits() {
    Throttle throttle = new Throttle(0, nanos::get, clockAdvancingSleeper);

    throttle.pace(1_000_000, () -> {});

    assertThat(sleeps).isEmpty();
  }
}
