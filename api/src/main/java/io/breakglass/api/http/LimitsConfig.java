package io.breakglass.api.http;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Request size and rate limits of the operator API. Rates are per caller, as token buckets that
 * hold one minute's worth.
 *
 * @param maxBodyBytes the largest request body accepted (default 64 KiB); larger ones get 413
 * @param startsPerMinute rotation starts per caller per minute (default 10); more get 429
 * @param decisionsPerMinute gate approvals and rejections per caller per minute (default 30)
 */
public record LimitsConfig(
    @Min(0) @Max(16 * 1024 * 1024) int maxBodyBytes,
    @Min(0) int startsPerMinute,
    @Min(0) int decisionsPerMinute) {

  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  public LimitsConfig {
    maxBodyBytes = maxBodyBytes == 0 ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    startsPerMinute = startsPerMinute == 0 ? 10 : startsPerMinute;
    decisionsPerMinute = decisionsPerMinute == 0 ? 30 : decisionsPerMinute;
  }

  public static LimitsConfig defaults() {
    return new LimitsConfig(0, 0, 0);
  }
}
