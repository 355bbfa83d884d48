package io.breakglass.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong now = new AtomicLong();
  private final TokenBucket bucket = new TokenBucket(3, Duration.ofMinutes(1), now::get);

  @Test
  void aFullBucket_allowsItsCapacity_thenSaysHowLongToWait() {
    assertThat(bucket.take()).isZero();
    assertThat(bucket.take()).isZero();
    assertThat(bucket.take()).isZero();

    assertThat(bucket.take()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void tokensComeBack_atTheConfiguredRate() {
    for (int i = 0; i < 3; i++) {
      bucket.take();
    }
    now.addAndGet(Duration.ofSeconds(20).toNanos());

    assertThat(bucket.take()).isZero();
    assertThat(bucket.take()).isPositive();
  }
}
