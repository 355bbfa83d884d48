package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import javax.sql.DataSource;

/**
 * The hand-written row loops the engine and the workflow are measured against, side by side in the
 * same run (docs/operator/bench.md). None guards against a concurrent application write. The best
 * of them in a run is the ceiling; {@link #BATCHED} is the batched ceiling.
 */
public enum RowBaseline {
  /** Keyset pages, JDBC batches of single-row UPDATEs: "the batched loop". */
  BATCHED("batched_ceiling", "batched: JDBC batches of UPDATEs", BenchSettings.PARALLEL),
  /** Keyset pages, one UPDATE ... FROM unnest per batch, on one connection. */
  UNNEST_ONE_THREAD("unnest_1_thread", "unnest: UPDATE FROM unnest", 1),
  /** The same on two connections. */
  UNNEST_TWO_THREADS("unnest_2_threads", "unnest: UPDATE FROM unnest", BenchSettings.PARALLEL),
  /** Reads through one COPY TO (binary) per range, one UPDATE ... FROM unnest per batch. */
  COPY("copy", "copy: COPY TO reads, unnest writes", BenchSettings.PARALLEL);

  private final String key;
  private final String label;
  private final int threads;

  RowBaseline(String key, String label, int threads) {
    this.key = key;
    this.label = label;
    this.threads = threads;
  }

  /** Its name in the JSON line ({@code <key>_rows_per_s}, {@code best_ceiling}). */
  String key() {
    return key;
  }

  /** Its name in the printed lines. */
  String label() {
    return label + ", " + threads + (threads == 1 ? " thread" : " threads");
  }

  /** Moves every row of the bench's table to {@code target}; returns rows rewritten. */
  long run(DataSource database, Keyring keyring, KeyId target, int batch) {
    return switch (this) {
      case BATCHED ->
          KeysetLoop.run(database, keyring, target, batch, threads, JdbcBatchWrite::new);
      case UNNEST_ONE_THREAD, UNNEST_TWO_THREADS ->
          KeysetLoop.run(database, keyring, target, batch, threads, UnnestWrite::new);
      case COPY -> CopyLoop.run(database, keyring, target, batch, threads);
    };
  }
}
