package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.reencrypt.ShardCheckpoint;
import io.breakglass.activities.reencrypt.ShardReencryptor;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.workflows.messages.values.ShardLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The re-encryption engine called directly, as the shard activity calls it but without Temporal:
 * the data set's own shard layout, {@code parallel} shards at a time in layout order, each with a
 * fresh keyring on the secret store and the data set's batch size.
 */
final class EngineRun {

  private EngineRun() {}

  /**
   * Moves every item of {@code dataSet} to {@code target}; returns items rewritten.
   *
   * @param eachShard told how long each shard took, from its start to its end
   */
  static long run(
      ProtectedDataSet dataSet,
      SecretStore store,
      KeyId target,
      ShardLayout layout,
      int parallel,
      Consumer<Duration> eachShard) {
    List<LongSupplier> shards = new ArrayList<>();
    for (int i = 0; i < layout.shardCount(); i++) {
      int index = i;
      shards.add(
          () -> {
            long started = System.nanoTime();
            ShardReencryptor shard =
                new ShardReencryptor(
                    dataSet.store(),
                    dataSet.codec(),
                    new StoreKeyring(store),
                    dataSet.config().batchSize());
            long items =
                shard
                    .run(layout.shard(index), target, Set.of(), ShardCheckpoint.start(), done -> {})
                    .reencrypted();
            eachShard.accept(Duration.ofNanos(System.nanoTime() - started));
            return items;
          });
    }
    return Parallel.sum(parallel, shards);
  }
}
