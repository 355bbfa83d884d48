package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ShardLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench}: seeds a table and a folder, then moves every item to a fresh key version several
 * ways, one after the other on the same data in this process, and reports items per second for each
 * (docs/architecture.md, performance targets). Rows: the hand-written {@link RowBaseline}s (the
 * best is the ceiling), a naive per-row loop (on the first rows), the engine called directly with
 * two shards at a time, and a whole rotation through the Temporal test server with one worker and
 * with two. Files: a hand-written loop on one thread and on two (the better is the ceiling), and
 * the engine. S3 objects (on s3proxy, started for the purpose): a hand-written loop on one thread
 * and on two, and the engine ({@link ObjectRuns}). The folder and S3 runs come first, then the
 * rounds over the table. Each is timed in rounds that take turns and keeps its best; the engine
 * over the table and every rotation print their shards' times beside their rates ({@link
 * ShardTimes}). Every row run starts from a vacuumed, checkpointed table, and a final scan checks
 * that every item decrypts under the last version.
 */
public final class Bench {

  private final BenchOptions options;
  private final PrintStream out;

  public Bench(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs everything and prints the report; its JSON line is the last line printed. */
  public BenchReport run() {
    out.printf(
        "bench: %,d rows of %,d bytes, %,d files of %,d bytes; batch %,d, shard %,d, %d threads;"
            + " heap limit %,d MiB%n",
        options.rows(),
        options.rowBytes(),
        options.files(),
        options.fileBytes(),
        options.batchSize(),
        options.shardSize(),
        BenchSettings.PARALLEL,
        HeapWatch.limitMb());
    try (BenchStack stack = BenchStack.start(options)) {
      out.println("data folder: " + stack.layout().root());
      SnapshotRows.checkpointOnlyWhenSettled(stack.app());
      seed(stack);
      BenchReport.RowRates rows;
      BenchReport.FileRates files;
      BenchReport.ObjectRates objects;
      BenchReport.WorkflowRates workflows;
      HeapUse heapUse;
      try (HeapWatch heap = HeapWatch.start()) {
        files = fileRuns(stack);
        objects = new ObjectRuns(options, stack, out).run();
        // The folder's rotation goes first: the first rotation in a process also pays for
        // compiling the Temporal code, and this one is reported but is not a target.
        Rate filesRotation = files(workflow(stack, DevSettings.ARTIFACT_KEY, 1, 1));
        RowRounds rounds = new RowRounds(stack);
        for (int round = 1; round <= options.rounds(); round++) {
          rounds.round(round);
        }
        rows = rounds.best();
        workflows = rounds.bestRotations(filesRotation);
        heapUse = heap.use();
      }
      boolean verified =
          verify(stack, out, BenchSettings.ROWS, BenchSettings.FILES) && objects.verified();
      BenchReport report =
          new BenchReport(options, rows, files, workflows, objects, heapUse, verified);
      report.print(out);
      return report;
    }
  }

  private void seed(BenchStack stack) {
    long started = System.nanoTime();
    KeyId rowsKey = stack.currentKey(DevSettings.PAYLOAD_KEY);
    StoreKeyring keyring = new StoreKeyring(stack.store());
    SnapshotRows.seed(stack.app(), options.rows(), options.rowBytes(), rowsKey, keyring);
    out.printf("seeded %,d rows in %.1f s%n", options.rows(), seconds(started));
    started = System.nanoTime();
    ChartFiles.seed(
        stack.layout().artifacts(),
        options.files(),
        options.fileBytes(),
        stack.currentKey(DevSettings.ARTIFACT_KEY),
        keyring);
    out.printf("seeded %,d files in %.1f s%n", options.files(), seconds(started));
    out.println();
  }

  /**
   * The runs over the table, round by round; each keeps its best round, so a run disturbed by
   * something else on the machine, or by the table's first rewrite (which extends it instead of
   * reusing its free space), counts against none of them. In every round each baseline, the engine
   * and a rotation with one worker and with two take turns on the same table, so a disk that drifts
   * over the minutes of a run weighs on every contender alike.
   */
  private final class RowRounds {
    private final BenchStack stack;
    private final ProtectedDataSet table;
    private final ShardLayout layout;
    private final long[] slice;
    private final Map<RowBaseline, Rate> baselines = new EnumMap<>(RowBaseline.class);
    private final Rate[] rotations = new Rate[3];
    private Rate naive;
    private Rate engine;

    RowRounds(BenchStack stack) {
      this.stack = stack;
      table = stack.dataSet(BenchSettings.ROWS);
      layout = table.store().split(table.config().shardSize());
      slice = SnapshotRows.firstIds(stack.app(), options.naiveSample());
    }

    /** The baselines, the engine, then a rotation with one worker and with two (first in turn). */
    void round(int round) {
      for (RowBaseline baseline : RowBaseline.values()) {
        Rate rate = rows(stack, baseline(stack, baseline, round), options.rows());
        baselines.merge(baseline, rate, Rate::faster);
      }
      if (naive == null) {
        // After a first pass, so that the JIT has compiled the crypto for every run alike.
        naive = rows(stack, naive(stack, slice), slice.length);
      }
      engine =
          Rate.faster(engine, rows(stack, engine(stack, table, layout, round), options.rows()));
      int first = round % 2 == 1 ? 1 : 2;
      for (int workers : new int[] {first, 3 - first}) {
        Rate rate = workflow(stack, DevSettings.PAYLOAD_KEY, workers, round);
        rotations[workers] = Rate.faster(rotations[workers], rows(stack, rate, options.rows()));
      }
    }

    BenchReport.RowRates best() {
      return new BenchReport.RowRates(naive, baselines, engine);
    }

    BenchReport.WorkflowRates bestRotations(Rate filesRotation) {
      return new BenchReport.WorkflowRates(filesRotation, rotations[1], rotations[2]);
    }
  }

  private Rate naive(BenchStack stack, long[] slice) {
    KeyId target = stack.freshVersion(DevSettings.PAYLOAD_KEY);
    StoreKeyring keyring = new StoreKeyring(stack.store());
    return Rate.time(
        "naive: SELECT + UPDATE per row, 1 thread",
        () -> NaiveLoop.run(stack.app(), keyring, target, slice));
  }

  private Rate baseline(BenchStack stack, RowBaseline baseline, int round) {
    KeyId target = stack.freshVersion(DevSettings.PAYLOAD_KEY);
    StoreKeyring keyring = new StoreKeyring(stack.store());
    return Rate.time(
        baseline.label() + " (round " + round + ")",
        () -> baseline.run(stack.app(), keyring, target, options.batchSize()));
  }

  /** The engine over the table; prints its shards' times beside the rotations'. */
  private Rate engine(BenchStack stack, ProtectedDataSet table, ShardLayout layout, int round) {
    KeyId target = stack.freshVersion(DevSettings.PAYLOAD_KEY);
    List<Duration> shards = Collections.synchronizedList(new ArrayList<>());
    Rate rate =
        Rate.time(
            engineRun(layout, round),
            () ->
                EngineRun.run(
                    table, stack.store(), target, layout, BenchSettings.PARALLEL, shards::add));
    out.println(new ShardTimes(shards, BenchSettings.PARALLEL, rate.elapsed()).line(rate.run()));
    return rate;
  }

  /**
   * One rotation, its REENCRYPT timed from the same footing as every direct run: at its PROCEED
   * gate (after BACKUP, before the new version exists) the backup it wrote is deleted and the table
   * settled. Before, the rotation re-encrypted while the system still wrote its backup (a copy of
   * the whole data set) back to the disk, which no direct run competes with.
   */
  private Rate workflow(BenchStack stack, String secret, int workers, int round) {
    Duration timeout = Duration.ofMinutes(10).plusSeconds(options.rows() / 1_000L);
    WorkflowRun.Rotation rotation =
        WorkflowRun.run(
            stack,
            secret,
            workers,
            timeout,
            gate -> {
              if (gate == GateName.PROCEED) {
                clear(stack.layout().backups());
                SnapshotRows.settle(stack.app());
              }
            });
    clear(stack.layout().backups());
    Rate rate = rotation.rate();
    String run = rate.run() + " (round " + round + ")";
    out.println(rotation.shards().line(run));
    return new Rate(run, rate.items(), rate.elapsed());
  }

  private BenchReport.FileRates fileRuns(BenchStack stack) {
    ProtectedDataSet folder = stack.dataSet(BenchSettings.FILES);
    ShardLayout layout = folder.store().split(folder.config().shardSize());
    Path root = stack.layout().artifacts();
    Rate oneThread = null;
    Rate twoThreads = null;
    Rate engine = null;
    for (int round = 1; round <= options.rounds(); round++) {
      oneThread = Rate.faster(oneThread, files(fileLoop(stack, root, 1, round)));
      twoThreads = Rate.faster(twoThreads, files(fileLoop(stack, root, 2, round)));
      engine = Rate.faster(engine, files(fileEngine(stack, folder, layout, round)));
    }
    return new BenchReport.FileRates(oneThread, twoThreads, engine);
  }

  private Rate fileLoop(BenchStack stack, Path root, int threads, int round) {
    KeyId target = stack.freshVersion(DevSettings.ARTIFACT_KEY);
    StoreKeyring keyring = new StoreKeyring(stack.store());
    String name = "ceiling: file loop, " + threads + (threads == 1 ? " thread" : " threads");
    return Rate.time(
        name + " (round " + round + ")",
        () -> FileLoop.run(root, keyring, target, BenchSettings.FILE_BATCH, threads));
  }

  private Rate fileEngine(
      BenchStack stack, ProtectedDataSet folder, ShardLayout layout, int round) {
    KeyId target = stack.freshVersion(DevSettings.ARTIFACT_KEY);
    return Rate.time(
        engineRun(layout, round),
        () ->
            EngineRun.run(
                folder, stack.store(), target, layout, BenchSettings.PARALLEL, shard -> {}));
  }

  static String engineRun(ShardLayout layout, int round) {
    return "engine: "
        + layout.shardCount()
        + " shards, "
        + BenchSettings.PARALLEL
        + " at a time (round "
        + round
        + ")";
  }

  /** Prints a row run, checks it moved every item it was given, and settles the table. */
  private Rate rows(BenchStack stack, Rate rate, long expected) {
    out.println(BenchReport.line("rows", rate));
    requireAll(rate, expected);
    SnapshotRows.settle(stack.app());
    return rate;
  }

  private Rate files(Rate rate) {
    out.println(BenchReport.line("files", rate));
    requireAll(rate, options.files());
    return rate;
  }

  /** A run that moved fewer items than there are measured something else: stop. */
  private static void requireAll(Rate rate, long expected) {
    if (rate.items() != expected) {
      throw new IllegalStateException(
          rate.run() + " moved " + rate.items() + " of " + expected + " items");
    }
  }

  /** Scans the data sets: every item under the CURRENT version, none undecryptable. */
  static boolean verify(BenchStack stack, PrintStream out, String... dataSets) {
    out.println();
    boolean clean = true;
    for (String name : dataSets) {
      ProtectedDataSet dataSet = stack.dataSet(name);
      String current = stack.currentKey(dataSet.secret()).toString();
      ScanReport scan =
          new DataSetScanner(
                  name, dataSet.store(), dataSet.codec(), new StoreKeyring(stack.store()))
              .scan(10, n -> {});
      long others = scan.items() - scan.itemsUnder(current) - scan.undecryptable();
      out.printf(
          "verify %-16s %,d items, %,d under the last version, %,d under others, %,d undecryptable%n",
          name, scan.items(), scan.itemsUnder(current), others, scan.undecryptable());
      clean &= others == 0 && scan.undecryptable() == 0;
    }
    return clean;
  }

  static void clear(Path folder) {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!path.equals(folder)) {
          Files.delete(path);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + folder, e);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
