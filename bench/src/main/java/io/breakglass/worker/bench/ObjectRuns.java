package io.breakglass.worker.bench;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.s3.S3ObjectStore;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.ShardLayout;
import java.io.PrintStream;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/**
 * The S3 side-by-side: s3proxy on loopback holding {@code --objects} chart artifacts of {@code
 * --file-bytes} under the artifact key, then, taking turns for {@code --rounds} rounds and each
 * keeping its best, the raw loop on one thread and on two (the better is the ceiling) and the
 * engine's shard code called directly, every run to a fresh version; last, a scan that requires
 * every object to be there, under the last version and decryptable. The server, and every object
 * with it, is gone when this returns, so the scan is this phase's own (the folder's runs and
 * rotation move the same key on afterwards).
 */
final class ObjectRuns {

  static final String NAME = "chart-objects";
  static final String BUCKET = "bench-charts";
  static final String PREFIX = "charts/";

  /** Room for the envelope around the plaintext, below which objects are read whole. */
  private static final long ENVELOPE_ROOM = 4_096;

  private final BenchOptions options;
  private final BenchStack stack;
  private final PrintStream out;

  ObjectRuns(BenchOptions options, BenchStack stack, PrintStream out) {
    this.options = options;
    this.stack = stack;
    this.out = out;
    if (options.fileBytes() > S3Location.DEFAULT_MULTIPART_THRESHOLD - ENVELOPE_ROOM) {
      throw new IllegalArgumentException(
          "--file-bytes above "
              + (S3Location.DEFAULT_MULTIPART_THRESHOLD - ENVELOPE_ROOM)
              + ": S3 objects that large are streams, and the bench seeds whole objects only");
    }
  }

  /** Starts the server, seeds it, runs every round, scans, and stops the server. */
  BenchReport.ObjectRates run() {
    Path folder = stack.layout().root().resolve("s3");
    try (LocalS3Server server = LocalS3Server.start(folder, serverHeapMb());
        S3Client client = server.client()) {
      client.createBucket(CreateBucketRequest.builder().bucket(BUCKET).build());
      long started = System.nanoTime();
      StoreKeyring keyring = new StoreKeyring(stack.store());
      ChartObjects.seed(
          client,
          BUCKET,
          PREFIX,
          options.objects(),
          options.fileBytes(),
          stack.currentKey(DevSettings.ARTIFACT_KEY),
          keyring);
      out.printf(
          "seeded %,d objects in s3proxy (in memory, loopback) in %.1f s%n",
          options.objects(), (System.nanoTime() - started) / 1e9);
      ProtectedDataSet objects = dataSet(client);
      ShardLayout layout = objects.store().split(objects.config().shardSize());
      Rate oneThread = null;
      Rate twoThreads = null;
      Rate engine = null;
      for (int round = 1; round <= options.rounds(); round++) {
        oneThread = Rate.faster(oneThread, objects(loop(client, 1, round)));
        twoThreads = Rate.faster(twoThreads, objects(loop(client, 2, round)));
        engine = Rate.faster(engine, objects(engine(objects, layout, round)));
      }
      boolean verified =
          verify(
              objects,
              stack.store(),
              stack.currentKey(DevSettings.ARTIFACT_KEY),
              options.objects(),
              out);
      return new BenchReport.ObjectRates(oneThread, twoThreads, engine, verified);
    }
  }

  /** The data set as a configuration would declare it, on the bench's client. */
  static ProtectedDataSet dataSet(S3Client client) {
    DataSetConfig config =
        new DataSetConfig(
            NAME,
            DevSettings.ARTIFACT_KEY,
            DataSetType.S3_OBJECTS,
            null,
            null,
            null,
            null,
            null,
            null,
            AssociatedDataMode.OBJECT_PATH,
            BenchSettings.FILE_SHARD,
            BenchSettings.FILE_BATCH,
            BenchSettings.PARALLEL,
            0,
            null,
            new S3Location(BUCKET, PREFIX));
    return new ProtectedDataSet(
        config, S3ObjectStore.create(config, () -> client), new BinaryEnvelopeCodec());
  }

  /**
   * Scans every object and prints one line as the other scans do: true when there are exactly
   * {@code expected}, every one under {@code last} and decryptable.
   */
  static boolean verify(
      ProtectedDataSet objects, SecretStore store, KeyId last, long expected, PrintStream out) {
    ScanReport scan =
        new DataSetScanner(NAME, objects.store(), objects.codec(), new StoreKeyring(store))
            .scan(10, n -> {});
    long under = scan.itemsUnder(last.toString());
    long others = scan.items() - under - scan.undecryptable();
    out.printf(
        "verify %-16s %,d items of %,d, %,d under the last version, %,d under others,"
            + " %,d undecryptable%n",
        NAME, scan.items(), expected, under, others, scan.undecryptable());
    return scan.items() == expected && under == expected;
  }

  private Rate loop(S3Client client, int threads, int round) {
    KeyId target = stack.freshVersion(DevSettings.ARTIFACT_KEY);
    StoreKeyring keyring = new StoreKeyring(stack.store());
    String name = "ceiling: S3 loop, " + threads + (threads == 1 ? " thread" : " threads");
    return Rate.time(
        name + " (round " + round + ")",
        () -> S3Loop.run(client, BUCKET, PREFIX, keyring, target, threads));
  }

  private Rate engine(ProtectedDataSet objects, ShardLayout layout, int round) {
    KeyId target = stack.freshVersion(DevSettings.ARTIFACT_KEY);
    return Rate.time(
        Bench.engineRun(layout, round),
        () ->
            EngineRun.run(
                objects, stack.store(), target, layout, BenchSettings.PARALLEL, shard -> {}));
  }

  /** Prints an object run and checks it moved every object: one that did not measured less. */
  private Rate objects(Rate rate) {
    out.println(BenchReport.line("s3", rate));
    if (rate.items() != options.objects()) {
      throw new IllegalStateException(
          rate.run() + " moved " + rate.items() + " of " + options.objects() + " objects");
    }
    return rate;
  }

  /** The in-memory server holds every object, a replaced one until it is collected, and more. */
  private long serverHeapMb() {
    long data = (long) options.objects() * (options.fileBytes() + ENVELOPE_ROOM);
    return Math.max(512, 256 + 4 * data / (1 << 20));
  }
}
