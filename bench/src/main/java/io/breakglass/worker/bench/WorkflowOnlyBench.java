package io.breakglass.worker.bench;

import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.workflows.messages.values.GateName;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * {@code bench --workflow-only}: the path a real rotation takes, at sizes where the side-by-side
 * baselines would take hours (ten million rows). Seeds the table only, rotates its key once through
 * Temporal with one worker, reads the rotation's histories back (the history budget), and scans
 * every row under the last version. The heap is watched from the first seeded row to the last row
 * scanned.
 */
public final class WorkflowOnlyBench {

  private final BenchOptions options;
  private final PrintStream out;

  public WorkflowOnlyBench(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs and prints the report; its JSON line is the last line printed. */
  public WorkflowOnlyReport run() {
    out.printf(
        "bench --workflow-only: %,d rows of %,d bytes; batch %,d, shard %,d; 1 worker;"
            + " heap limit %,d MiB%n",
        options.rows(),
        options.rowBytes(),
        options.batchSize(),
        options.shardSize(),
        HeapWatch.limitMb());
    try (BenchStack stack = BenchStack.start(options);
        HeapWatch heap = HeapWatch.start()) {
      out.println("data folder: " + stack.layout().root());
      Rate seed = seed(stack);
      out.println(BenchReport.line("seed", seed) + "  (COPY, then VACUUM and CHECKPOINT)");
      WorkflowRun.Rotation rotation =
          WorkflowRun.run(
              stack,
              DevSettings.PAYLOAD_KEY,
              1,
              Duration.ofMinutes(10).plusSeconds(options.rows() / 1_000L),
              gate -> {
                if (gate == GateName.PROCEED) {
                  dropBackup(stack.layout().backups());
                }
              });
      out.println(rotation.shards().line(rotation.rate().run()));
      out.println(BenchReport.line("rows", rotation.rate()));
      if (rotation.rate().items() != options.rows()) {
        throw new IllegalStateException(
            "the rotation re-encrypted " + rotation.rate().items() + " of " + options.rows());
      }
      boolean verified = Bench.verify(stack, out, BenchSettings.ROWS);
      WorkflowOnlyReport report =
          new WorkflowOnlyReport(
              options, seed, rotation.rate(), rotation.history(), heap.use(), verified);
      report.print(out);
      return report;
    }
  }

  private Rate seed(BenchStack stack) {
    return Rate.time(
        "COPY, 1 connection",
        () -> {
          SnapshotRows.seed(
              stack.app(),
              options.rows(),
              options.rowBytes(),
              stack.currentKey(DevSettings.PAYLOAD_KEY),
              new StoreKeyring(stack.store()));
          return options.rows();
        });
  }

  /**
   * The rotation has written and verified its backup when its PROCEED gate opens; the bench deletes
   * it there, because at ten million rows the disk holds the table and its rewrite but not a third
   * copy. A rotation that succeeds never reads its backup again.
   */
  private void dropBackup(Path backups) {
    long bytes;
    try (Stream<Path> files = Files.walk(backups)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(WorkflowOnlyBench::size).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + backups, e);
    }
    Bench.clear(backups);
    out.printf(
        "backup   %,d MiB written and verified by the rotation, deleted at its PROCEED gate%n",
        bytes >> 20);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }
}
