package io.breakglass.api.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.breakglass.worker.bench.Bench;
import io.breakglass.worker.bench.BenchOptions;
import io.breakglass.worker.bench.WorkflowOnlyBench;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.slf4j.LoggerFactory;

/**
 * {@code bench}: re-encryption speed on this machine, side by side in one process
 * (docs/architecture.md, performance targets). The last line printed is one JSON object; exits
 * non-zero when the final scan finds an item that is not under the last version or does not
 * decrypt.
 */
public final class BenchCommand extends Command {

  public BenchCommand() {
    super("bench", "Measures re-encryption speed: naive loop, batched ceiling, engine, workflow");
  }

  @Override
  public void configure(Subparser subparser) {
    option(
        subparser, "--rows", "rows", BenchOptions.DEFAULT_ROWS, "ai_json_snapshots rows to seed");
    option(
        subparser,
        "--row-bytes",
        "rowBytes",
        BenchOptions.DEFAULT_ROW_BYTES,
        "bytes of each row's stored envelope (its jsonb payload)");
    option(subparser, "--files", "files", BenchOptions.DEFAULT_FILES, "chart artifacts to seed");
    option(
        subparser,
        "--file-bytes",
        "fileBytes",
        BenchOptions.DEFAULT_FILE_BYTES,
        "plaintext bytes per artifact (files and S3 objects)");
    option(
        subparser,
        "--objects",
        "objects",
        BenchOptions.DEFAULT_OBJECTS,
        "chart artifacts to seed in S3 (s3proxy on loopback)");
    option(
        subparser,
        "--naive-sample",
        "naiveSample",
        BenchOptions.DEFAULT_NAIVE_SAMPLE,
        "rows the naive per-row loop rewrites to measure its rate");
    option(
        subparser,
        "--batch",
        "batch",
        BenchOptions.DEFAULT_BATCH_SIZE,
        "rows per batch (one transaction)");
    option(subparser, "--shard", "shard", BenchOptions.DEFAULT_SHARD_SIZE, "rows per shard");
    option(
        subparser,
        "--rounds",
        "rounds",
        BenchOptions.DEFAULT_ROUNDS,
        "rounds of the side-by-side runs, each contender keeping its best");
    subparser
        .addArgument("--data")
        .dest("data")
        .help("data folder, new or empty, kept afterwards (default: a temporary folder, deleted)");
    subparser
        .addArgument("--workflow-only")
        .dest("workflowOnly")
        .action(Arguments.storeTrue())
        .help(
            "seed the table only and time one whole rotation of it with one worker, no baselines"
                + " (for millions of rows); prints the rotation's history budget too");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    String data = namespace.getString("data");
    BenchOptions options =
        new BenchOptions(
            namespace.getInt("rows"),
            namespace.getInt("rowBytes"),
            namespace.getInt("files"),
            namespace.getInt("fileBytes"),
            namespace.getInt("objects"),
            namespace.getInt("naiveSample"),
            namespace.getInt("batch"),
            namespace.getInt("shard"),
            namespace.getInt("rounds"),
            data == null ? null : Path.of(data),
            namespace.getBoolean("workflowOnly"));
    // The rotation's notices and the SDK's warnings would interleave with the measurements.
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
    boolean verified =
        options.workflowOnly()
            ? new WorkflowOnlyBench(options, System.out).run().verified()
            : new Bench(options, System.out).run().verified();
    if (!verified) {
      throw new IllegalStateException(
          "the final scans found items missing, not under the last version or undecryptable");
    }
  }

  private static void option(
      Subparser subparser, String flag, String dest, int defaultValue, String help) {
    subparser
        .addArgument(flag)
        .dest(dest)
        .type(Integer.class)
        .setDefault(defaultValue)
        .help(help + " (default " + defaultValue + ")");
  }
}
