package io.breakglass.activities.metrics;

/** What a Prometheus instant query gave: a finite value, no data, or no answer at all. */
public sealed interface QueryResult {

  /** One finite value (a scalar, or a vector of exactly one series). */
  record Value(double value) implements QueryResult {}

  /** Prometheus answered without a usable value: an empty vector, NaN or an infinity. */
  record NoData(String reason) implements QueryResult {}

  /**
   * No answer to judge: Prometheus unreachable or timed out, an HTTP or query error, a result type
   * or series count the analysis cannot read.
   */
  record Failed(String reason) implements QueryResult {}
}
