package io.breakglass.worker;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The worker's liveness and readiness, served by {@link WorkerMetrics} on {@code /health/live} and
 * {@code /health/ready}. Live while the worker is not shut down. Ready only while its Temporal
 * pollers are polling: the worker started, not shut down, polling not suspended, and no poll call's
 * last attempt failed ({@link PollerHealth}).
 */
public final class WorkerHealth {

  /**
   * One answer of a probe.
   *
   * @param up whether the probe passes
   * @param reason why not, in words an operator reads; null when up
   */
  public record Verdict(boolean up, String reason) {

    static Verdict ok() {
      return new Verdict(true, null);
    }

    static Verdict down(String reason) {
      return new Verdict(false, reason);
    }
  }

  private final BreakglassWorker worker;
  private final PollerHealth polls;

  /**
   * @param worker the started worker
   * @param polls the interceptor on the stubs of {@code worker}'s client
   */
  public WorkerHealth(BreakglassWorker worker, PollerHealth polls) {
    this.worker = worker;
    this.polls = polls;
  }

  /** Down once the worker is shut down (it never polls again; the pod should restart). */
  public Verdict live() {
    return worker.isShutdown() ? Verdict.down("worker is shut down") : Verdict.ok();
  }

  /** Up only while the worker's pollers are polling Temporal. */
  public Verdict ready() {
    if (worker.isShutdown()) {
      return Verdict.down("worker is shut down");
    }
    if (!worker.isStarted()) {
      return Verdict.down("worker is not started");
    }
    if (worker.isSuspended()) {
      return Verdict.down("polling is suspended");
    }
    Map<String, String> failing = polls.failing();
    if (!failing.isEmpty()) {
      return Verdict.down(
          "last poll failing: "
              + failing.entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
    return Verdict.ok();
  }
}
