package io.breakglass.worker.bench;

import java.io.PrintStream;

/**
 * What {@code bench --workflow-only} found: the rotation's rate, its history budget, the heap, and
 * last one JSON object with all of it.
 *
 * @param options what was seeded and how the rotation was sized
 * @param seed the seeding, vacuum and checkpoint included
 * @param workflow the rotation's REENCRYPT phase, one worker
 * @param history what the rotation wrote into Temporal
 * @param heap the heap from seeding to the final scan
 * @param verified whether the final scan found every row under the last version, all decryptable
 */
public record WorkflowOnlyReport(
    BenchOptions options,
    Rate seed,
    Rate workflow,
    HistoryBudget history,
    HeapUse heap,
    boolean verified) {

  void print(PrintStream out) {
    out.println();
    out.printf(
        "history                  %,.0f rows per event: %,d events in %,d histories;"
            + " the largest %,d events, %,d bytes (%s)%n",
        history.rowsPerEvent(),
        history.events(),
        history.histories(),
        history.largestEvents(),
        history.largestBytes(),
        history.largest());
    out.println(heap.line());
    out.println(json());
  }

  /** The last line: one JSON object. */
  public String json() {
    JsonLine json =
        new JsonLine()
            .put("mode", "workflow_only")
            .put("workflow_1_worker_rows_per_s", Math.round(workflow.perSecond()))
            .put("reencrypt_s", seconds(workflow))
            .put("rows_per_history_event", Math.round(history.rowsPerEvent() * 10) / 10.0)
            .put("history_events", history.events())
            .put("histories", history.histories())
            .put("largest_history_events", history.largestEvents())
            .put("largest_history_bytes", history.largestBytes());
    heap.putInto(json);
    return json.put("seed_rows_per_s", Math.round(seed.perSecond()))
        .put("seed_s", seconds(seed))
        .sizes(options)
        .put("verified", verified)
        .toString();
  }

  private static double seconds(Rate rate) {
    return Math.round(rate.elapsed().toMillis() / 100.0) / 10.0;
  }
}
