package io.breakglass.worker.bench;

import java.io.PrintStream;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The bench's findings: one line per run as it ends, then the ratios the targets are about, and
 * last one JSON object with the ratios, the raw rates and the heap (for scripts and CI).
 *
 * @param options what was seeded and how the runs were sized
 * @param rows the row runs: naive, the baselines (the best is the ceiling), engine
 * @param files the file runs: ceiling on one thread and on two, engine
 * @param workflows the whole rotations: the folder's, then the table's with one worker and two
 * @param objects the S3 runs: ceiling on one thread and on two, engine
 * @param heap the heap during the runs
 * @param verified whether the final scan found every item under the last version, all decryptable
 */
public record BenchReport(
    BenchOptions options,
    RowRates rows,
    FileRates files,
    WorkflowRates workflows,
    ObjectRates objects,
    HeapUse heap,
    boolean verified) {

  /** The targets of docs/architecture.md, performance targets. */
  static final double ENGINE_TARGET = 0.85;

  static final double WORKFLOW_TARGET = 0.75;
  static final double NAIVE_TARGET = 8;
  static final double BEST_CEILING_TARGET = 0.9;
  static final double BATCHED_CEILING_TARGET = 1.2;

  /**
   * The runs over the table that call the code directly (baselines and engine: their best round).
   */
  public record RowRates(Rate naive, Map<RowBaseline, Rate> baselines, Rate engine) {
    public RowRates {
      baselines = Collections.unmodifiableMap(new EnumMap<>(baselines));
    }

    /** The ceiling: the fastest baseline (the best ceiling). */
    public Rate ceiling() {
      return baselines.get(bestBaseline());
    }

    /** Which baseline is the ceiling. */
    public RowBaseline bestBaseline() {
      RowBaseline best = null;
      for (Map.Entry<RowBaseline, Rate> baseline : baselines.entrySet()) {
        if (best == null || baseline.getValue().perSecond() > baselines.get(best).perSecond()) {
          best = baseline.getKey();
        }
      }
      return best;
    }

    /** The batched loop (JDBC batches), the batched ceiling. */
    public Rate batchedCeiling() {
      return baselines.get(RowBaseline.BATCHED);
    }
  }

  /** The runs over the folder (each its best round). */
  public record FileRates(Rate ceilingOneThread, Rate ceilingTwoThreads, Rate engine) {
    /** The better of one thread and two. */
    Rate ceiling() {
      return Rate.faster(ceilingOneThread, ceilingTwoThreads);
    }
  }

  /**
   * The runs over the S3 objects (each its best round).
   *
   * @param verified whether the phase's own final scan found every object, under the last version
   */
  public record ObjectRates(
      Rate ceilingOneThread, Rate ceilingTwoThreads, Rate engine, boolean verified) {
    /** The better of one thread and two. */
    Rate ceiling() {
      return Rate.faster(ceilingOneThread, ceilingTwoThreads);
    }
  }

  /**
   * The whole rotations: the folder's key (first), the table's on one worker and two (best rounds).
   */
  public record WorkflowRates(Rate files, Rate rowsOneWorker, Rate rowsTwoWorkers) {
    /** The better of one worker and two. */
    Rate rows() {
      return Rate.faster(rowsOneWorker, rowsTwoWorkers);
    }
  }

  public double engineVsCeiling() {
    return rows.engine().perSecond() / rows.ceiling().perSecond();
  }

  public double workflowVsCeiling() {
    return workflows.rows().perSecond() / rows.ceiling().perSecond();
  }

  public double oneWorkerVsCeiling() {
    return workflows.rowsOneWorker().perSecond() / rows.ceiling().perSecond();
  }

  public double twoWorkersVsCeiling() {
    return workflows.rowsTwoWorkers().perSecond() / rows.ceiling().perSecond();
  }

  public double workflowVsBatchedCeiling() {
    return workflows.rows().perSecond() / rows.batchedCeiling().perSecond();
  }

  public double engineVsBatchedCeiling() {
    return rows.engine().perSecond() / rows.batchedCeiling().perSecond();
  }

  public double engineVsNaive() {
    return rows.engine().perSecond() / rows.naive().perSecond();
  }

  public double filesEngineVsCeiling() {
    return files.engine().perSecond() / files.ceiling().perSecond();
  }

  public double s3EngineVsCeiling() {
    return objects.engine().perSecond() / objects.ceiling().perSecond();
  }

  /** One line per run, for the console. */
  static String line(String kind, Rate rate) {
    return String.format(
        "%-5s %-56s %,9.0f items/s  (%,d in %.2f s)",
        kind, rate.run(), rate.perSecond(), rate.items(), rate.elapsed().toNanos() / 1e9);
  }

  /** The summary: ratios against their targets, then the JSON line, last. */
  void print(PrintStream out) {
    out.println();
    out.printf(
        "ceiling                  %,.0f rows/s, the best baseline: %s%n",
        rows.ceiling().perSecond(), rows.ceiling().run());
    out.printf(
        "engine vs ceiling        %.2f  (target >= %.2f)  %s%n",
        engineVsCeiling(), ENGINE_TARGET, met(engineVsCeiling() >= ENGINE_TARGET));
    out.printf(
        "workflow vs ceiling      %.2f  (target >= %.2f; 1 worker %.2f, 2 workers %.2f)  %s%n",
        workflowVsCeiling(),
        WORKFLOW_TARGET,
        oneWorkerVsCeiling(),
        twoWorkersVsCeiling(),
        met(workflowVsCeiling() >= WORKFLOW_TARGET));
    out.printf(
        "workflow vs best ceiling %.2f  (target >= %.2f)  %s%n",
        workflowVsCeiling(), BEST_CEILING_TARGET, met(workflowVsCeiling() >= BEST_CEILING_TARGET));
    out.printf(
        "workflow vs batched      %.2f  (target >= %.2f; engine vs batched %.2f)  %s%n",
        workflowVsBatchedCeiling(),
        BATCHED_CEILING_TARGET,
        engineVsBatchedCeiling(),
        met(workflowVsBatchedCeiling() >= BATCHED_CEILING_TARGET));
    out.printf(
        "engine vs naive          %.1f  (target >= %.0f)  %s%n",
        engineVsNaive(), NAIVE_TARGET, met(engineVsNaive() >= NAIVE_TARGET));
    out.printf(
        "files engine vs ceiling  %.2f  (the ceiling is the better of 1 and 2 threads)%n",
        filesEngineVsCeiling());
    out.printf(
        "s3 engine vs ceiling     %.2f  (the ceiling is the better of 1 and 2 threads)%n",
        s3EngineVsCeiling());
    out.println(heap.line());
    out.println(json());
  }

  /** The last line: one JSON object. */
  public String json() {
    JsonLine json = new JsonLine();
    json.put("engine_vs_ceiling", round(engineVsCeiling()));
    json.put("workflow_vs_ceiling", round(workflowVsCeiling()));
    json.put("workflow_1_worker_vs_ceiling", round(oneWorkerVsCeiling()));
    json.put("workflow_2_workers_vs_ceiling", round(twoWorkersVsCeiling()));
    json.put("workflow_vs_best_ceiling", round(workflowVsCeiling()));
    json.put("workflow_vs_batched_ceiling", round(workflowVsBatchedCeiling()));
    json.put("engine_vs_batched_ceiling", round(engineVsBatchedCeiling()));
    json.put("engine_vs_naive", round(engineVsNaive()));
    json.put("files_engine_vs_ceiling", round(filesEngineVsCeiling()));
    json.put("s3_engine_vs_ceiling", round(s3EngineVsCeiling()));
    heap.putInto(json);
    json.put("naive_rows_per_s", perSecond(rows.naive()));
    json.put("ceiling_rows_per_s", perSecond(rows.ceiling()));
    json.put("best_ceiling_rows_per_s", perSecond(rows.ceiling()));
    json.put("best_ceiling", rows.bestBaseline().key());
    rows.baselines()
        .forEach((baseline, rate) -> json.put(baseline.key() + "_rows_per_s", perSecond(rate)));
    json.put("engine_rows_per_s", perSecond(rows.engine()));
    json.put("workflow_1_worker_rows_per_s", perSecond(workflows.rowsOneWorker()));
    json.put("workflow_2_workers_rows_per_s", perSecond(workflows.rowsTwoWorkers()));
    json.put("files_ceiling_1_thread_per_s", perSecond(files.ceilingOneThread()));
    json.put("files_ceiling_2_threads_per_s", perSecond(files.ceilingTwoThreads()));
    json.put("files_engine_per_s", perSecond(files.engine()));
    json.put("files_workflow_1_worker_per_s", perSecond(workflows.files()));
    json.put("s3_ceiling_1_thread_per_s", perSecond(objects.ceilingOneThread()));
    json.put("s3_ceiling_2_threads_per_s", perSecond(objects.ceilingTwoThreads()));
    json.put("s3_engine_per_s", perSecond(objects.engine()));
    json.sizes(options);
    json.put("files", options.files());
    json.put("file_bytes", options.fileBytes());
    json.put("objects", options.objects());
    json.put("naive_sample", options.naiveSample());
    return json.put("verified", verified).toString();
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  private static double round(double ratio) {
    return Math.round(ratio * 1000) / 1000.0;
  }

  private static long perSecond(Rate rate) {
    return Math.round(rate.perSecond());
  }
}
