package io.breakglass.activities.reencrypt;

import com.uber.m3.tally.Scope;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Map;
import java.util.Set;

/**
 * {@link ReencryptActivities}: runs the {@link ShardReencryptor} with the shard's checkpoint as
 * heartbeat details, so a retry on any worker resumes after the last committed batch.
 */
public final class ReencryptActivitiesImpl implements ReencryptActivities {

  private final ProtectedDataSets dataSets;
  private final SecretStore store;
  private final String worker;

  /**
   * @param store where keys are read, through a fresh keyring per shard run (so a revoke is seen)
   * @param worker this worker's identity, reported in every shard result
   */
  public ReencryptActivitiesImpl(ProtectedDataSets dataSets, SecretStore store, String worker) {
    this.dataSets = dataSets;
    this.store = store;
    this.worker = worker;
  }

  @Override
  public ShardResult reencryptShard(ShardRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ProtectedDataSet dataSet = dataSets.get(request.dataSet());
    ShardCheckpoint resume =
        context.getHeartbeatDetails(ShardCheckpoint.class).orElse(ShardCheckpoint.start());
    KeyId target = new KeyId(dataSet.secret(), request.targetVersionId());
    String shard = "shard " + request.shard().index() + " of " + dataSet.name();
    long started = System.nanoTime();
    try {
      ShardCheckpoint done =
          new ShardReencryptor(
                  dataSet.store(),
                  dataSet.codec(),
                  new StoreKeyring(store),
                  dataSet.config().batchSize(),
                  Throttle.of(request.itemsPerSecond()))
              .run(
                  request.shard(),
                  target,
                  Set.copyOf(request.sourceVersionIds()),
                  resume,
                  context::heartbeat);
      report(
          context,
          dataSet.name(),
          done.reencrypted() - resume.reencrypted(),
          System.nanoTime() - started);
      return new ShardResult(
          dataSet.name(),
          request.shard().index(),
          done.scanned(),
          done.reencrypted(),
          done.alreadyTarget(),
          done.otherKeys(),
          done.conflicts(),
          done.batches(),
          worker);
    } catch (UndecryptableItemException e) {
      throw RotationErrors.UNDECRYPTABLE_ITEMS.failure(shard + ": " + e.getMessage());
    } catch (EnvelopeException e) {
      throw RotationErrors.VERSION_NOT_FOUND.failure(
          shard + ": the target key " + target + " is not usable: " + e.getMessage());
    } catch (DataStoreException | ConcurrentWritesException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(shard + ": " + e.getMessage());
    } catch (SecretStoreException e) {
      throw e.error().failure(shard + ": " + e.getMessage());
    }
  }

  /**
   * Items this attempt re-encrypted (a retry counts only what it redid) and its speed, into the
   * worker's metrics: {@code breakglass_items_reencrypted_total} and {@code
   * breakglass_reencrypt_items_per_second}, by data set.
   */
  private static void report(
      ActivityExecutionContext context, String dataSet, long items, long nanos) {
    Scope scope = context.getMetricsScope().tagged(Map.of("data_set", dataSet));
    scope.counter("breakglass_items_reencrypted").inc(items);
    scope
        .gauge("breakglass_reencrypt_items_per_second")
        .update(nanos == 0 ? 0 : items * 1e9 / nanos);
  }
}
