package io.breakglass.worker.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code bench --workflow-only} found: the rotation's rate, its history budget, the heap, and
 * last one JSON object with all of it.
 *
 * @param options what was seeded and how the rotation was sized
 * @param seed the seeding, vacuum and checkpoint included
 * @param workflow the rotation's REENCRYPT phase, one worker
 * @param history what the rotation wrote into Temporal
 * @param peakHeapMb the highest heap use seen from seeding to the final scan
 * @param peakHeapAfterGcMb the highest heap use right after a collection in that time
 * @param heapLimitMb the JVM's heap limit
 * @param verified whether the final scan found every row under the last version, all decryptable
 */
public record WorkflowOnlyReport(
    BenchOptions options,
    Rate seed,
    Rate workflow,
    HistoryBudget history,
    long peakHeapMb,
    long peakHeapAfterGcMb,
    long heapLimitMb,
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
    out.printf(
        "heap                     peak %d MiB used, %d MiB right after a collection, limit %d MiB%n",
        peakHeapMb, peakHeapAfterGcMb, heapLimitMb);
    out.println(json());
  }

  /** The last line: one JSON object. */
  public String json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", "workflow_only");
    json.put("workflow_1_worker_rows_per_s", Math.round(workflow.perSecond()));
    json.put("reencrypt_s", seconds(workflow));
    json.put("rows_per_history_event", Math.round(history.rowsPerEvent() * 10) / 10.0);
    json.put("history_events", history.events());
    json.put("histories", history.histories());
    json.put("largest_history_events", history.largestEvents());
    json.put("largest_history_bytes", history.largestBytes());
    json.put("max_heap_mb", peakHeapMb);
    json.put("max_heap_after_gc_mb", peakHeapAfterGcMb);
    json.put("heap_limit_mb", heapLimitMb);
    json.put("seed_rows_per_s", Math.round(seed.perSecond()));
    json.put("seed_s", seconds(seed));
    json.put("rows", options.rows());
    json.put("row_bytes", options.rowBytes());
    json.put("batch", options.batchSize());
    json.put("shard", options.shardSize());
    json.put("verified", verified);
    try {
      return new ObjectMapper().writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double seconds(Rate rate) {
    return Math.round(rate.elapsed().toMillis() / 100.0) / 10.0;
  }
}
