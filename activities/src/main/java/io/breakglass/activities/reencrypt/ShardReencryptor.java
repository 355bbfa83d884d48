package io.breakglass.activities.reencrypt;

import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.SecretKey;

/**
 * Re-encrypts one shard: reads it in key order in batches, rewrites every item under a source key
 * so it is under the target key, and writes each batch conditionally (one transaction). A write
 * lost to a concurrent application write is re-read and handled again, so the application's value
 * is never overwritten with an older one. Items already under the target are skipped, so a re-run
 * changes nothing. An unthrottled shard defers durability: its writes may commit before they would
 * survive a crash of the store, one write at least every {@link #DEFERRED_DURABILITY} and the last
 * are durable (and make the earlier ones durable), and only durable checkpoints are reported, so a
 * retry after such a crash resumes before anything the crash undid (docs/decisions/0051). Not
 * thread-safe: one instance per shard run.
 */
public final class ShardReencryptor {

  /** How often one batch may lose conditional writes before the shard gives up (and retries). */
  private static final int CONFLICT_ROUNDS = 5;

  /**
   * How long an unthrottled shard's committed batches may stay not yet durable (deferred writes):
   * its checkpoint, and so a retry's redo, trails its writes by at most this much plus a batch.
   */
  public static final Duration DEFERRED_DURABILITY = Duration.ofSeconds(1);

  private final ItemStore store;
  private final EnvelopeCodec codec;
  private final Keyring keyring;
  private final int batchSize;
  private final Throttle throttle;
  private final Duration deferDurability;
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final LargeItemReencryptor large;

  /** A re-encryptor with no rate limit. */
  public ShardReencryptor(ItemStore store, EnvelopeCodec codec, Keyring keyring, int batchSize) {
    this(store, codec, keyring, batchSize, Throttle.of(0));
  }

  /**
   * A rate-limited shard writes every batch durably: it waits anyway, and its checkpoint stays
   * exact. An unthrottled one defers durability for up to {@link #DEFERRED_DURABILITY}.
   *
   * @param throttle paces the shard to its share of the data set's rate limit
   */
  public ShardReencryptor(
      ItemStore store, EnvelopeCodec codec, Keyring keyring, int batchSize, Throttle throttle) {
    this(
        store,
        codec,
        keyring,
        batchSize,
        throttle,
        throttle.limits() ? Duration.ZERO : DEFERRED_DURABILITY);
  }

  /**
   * @param deferDurability how long committed batches may stay not yet durable; zero makes every
   *     write durable before its checkpoint is reported
   */
  public ShardReencryptor(
      ItemStore store,
      EnvelopeCodec codec,
      Keyring keyring,
      int batchSize,
      Throttle throttle,
      Duration deferDurability) {
    this.store = store;
    this.codec = codec;
    this.keyring = keyring;
    this.batchSize = batchSize;
    this.throttle = throttle;
    this.deferDurability = deferDurability;
    this.large = new LargeItemReencryptor(store, keyring, CONFLICT_ROUNDS);
  }

  /**
   * Runs the shard from {@code resume} to its end. Only checkpoints whose writes are all durable
   * are reported: a crash of the store can undo a deferred write, and a retry must redo it.
   *
   * @param shard the key range
   * @param target the key items move to
   * @param sourceVersionIds versions items move from; empty means every version of the target's
   *     secret but the target
   * @param resume where an earlier attempt stopped ({@link ShardCheckpoint#start()} for none)
   * @param afterBatch called with each durable checkpoint (heartbeat); may throw to stop the shard
   * @return the totals, including those of earlier attempts; every write they count is durable
   * @throws UndecryptableItemException before writing a batch that holds an undecryptable item
   */
  public ShardCheckpoint run(
      ShardRange shard,
      KeyId target,
      Set<String> sourceVersionIds,
      ShardCheckpoint resume,
      Consumer<ShardCheckpoint> afterBatch) {
    SecretKey targetKey = keyring.key(target);
    Tally tally = new Tally(resume);
    ShardCheckpoint[] reported = {resume};
    Consumer<ShardCheckpoint> report =
        checkpoint -> {
          reported[0] = checkpoint;
          afterBatch.accept(checkpoint);
        };
    try (ItemSession session = store.open(shard, resume.lastKey())) {
      tally.total = resume.scanned() + session.remaining();
      long durableAt = System.nanoTime();
      while (true) {
        List<StoredItem> page = session.next(batchSize);
        List<LargeItem> largeItems = session.largeItems();
        if (page.isEmpty() && largeItems.isEmpty()) {
          break;
        }
        // The shard's last batch, and one at least every deferDurability, is written durably,
        // which makes the deferred ones before it durable too.
        boolean deferred =
            !session.exhausted() && System.nanoTime() - durableAt < deferDurability.toNanos();
        List<Rewrite> pending = rewrites(page, target, targetKey, sourceVersionIds, tally);
        for (int round = 0; !pending.isEmpty(); round++) {
          Set<String> written =
              deferred
                  ? session.writeIfUnchangedDeferred(pending)
                  : session.writeIfUnchanged(pending);
          tally.reencrypted += written.size();
          List<String> lost =
              pending.stream().map(Rewrite::key).filter(k -> !written.contains(k)).toList();
          if (lost.isEmpty()) {
            break;
          }
          tally.conflicts += lost.size();
          if (round == CONFLICT_ROUNDS) {
            throw new ConcurrentWritesException(lost.size(), CONFLICT_ROUNDS);
          }
          // Re-read what the application wrote meanwhile and handle it afresh (it may already be
          // under the target; it is never encrypted twice).
          long scanned = tally.scanned;
          pending = rewrites(session.read(lost), target, targetKey, sourceVersionIds, tally);
          tally.scanned = scanned;
        }
        for (LargeItem item : largeItems) {
          reencrypt((LargeItemSession) session, item, target, sourceVersionIds, tally);
        }
        tally.lastKey =
            session instanceof LargeItemSession streams
                ? streams.lastKey()
                : page.get(page.size() - 1).key();
        tally.batches++;
        if (session.durable()) {
          durableAt = System.nanoTime();
          report.accept(tally.checkpoint());
        }
        throttle.pace(tally.scanned - resume.scanned(), () -> afterBatch.accept(reported[0]));
      }
      if (!session.durable()) {
        session.awaitDurable();
        report.accept(tally.checkpoint());
      }
    }
    return tally.checkpoint();
  }

  private void reencrypt(
      LargeItemSession session, LargeItem item, KeyId target, Set<String> sources, Tally tally) {
    tally.scanned++;
    switch (large.run(session, item, target, sources, () -> tally.conflicts++)) {
      case REENCRYPTED -> tally.reencrypted++;
      case ALREADY_TARGET -> tally.alreadyTarget++;
      case OTHER_KEY -> tally.otherKeys++;
      case GONE -> {}
    }
  }

  private List<Rewrite> rewrites(
      List<StoredItem> items, KeyId target, SecretKey targetKey, Set<String> sources, Tally tally) {
    List<Rewrite> rewrites = new ArrayList<>(items.size());
    for (StoredItem item : items) {
      tally.scanned++;
      Envelope envelope;
      try {
        envelope = codec.decode(item.value());
      } catch (EnvelopeException e) {
        throw new UndecryptableItemException(item.key(), e);
      }
      byte[] associatedData = store.associatedData(item.key());
      KeyId kid = envelope.keyId();
      byte[] plaintext = null;
      if (kid == null) {
        // The format names no key: only decrypting tells which one it is under.
        EnvelopeCipher.Opened opened = open(item, envelope, associatedData);
        kid = opened.keyId();
        plaintext = opened.plaintext();
      }
      if (kid.equals(target)) {
        tally.alreadyTarget++;
        continue;
      }
      if (!kid.secret().equals(target.secret())
          || (!sources.isEmpty() && !sources.contains(kid.versionId()))) {
        tally.otherKeys++;
        continue;
      }
      if (plaintext == null) {
        plaintext = open(item, envelope, associatedData).plaintext();
      }
      Envelope reencrypted = cipher.encrypt(target, targetKey, plaintext, associatedData);
      rewrites.add(Rewrite.of(item, codec.encode(reencrypted)));
    }
    return rewrites;
  }

  private EnvelopeCipher.Opened open(StoredItem item, Envelope envelope, byte[] associatedData) {
    try {
      return cipher.open(envelope, keyring, associatedData);
    } catch (EnvelopeException e) {
      throw new UndecryptableItemException(item.key(), e);
    }
  }

  /** Running totals of one shard run. */
  private static final class Tally {
    private final long startedAt = System.nanoTime();
    private final long scannedBefore;
    String lastKey;
    long scanned;
    long reencrypted;
    long alreadyTarget;
    long otherKeys;
    long conflicts;
    int batches;
    long total;

    Tally(ShardCheckpoint from) {
      scannedBefore = from.scanned();
      lastKey = from.lastKey();
      scanned = from.scanned();
      reencrypted = from.reencrypted();
      alreadyTarget = from.alreadyTarget();
      otherKeys = from.otherKeys();
      conflicts = from.conflicts();
      batches = from.batches();
    }

    ShardCheckpoint checkpoint() {
      long millis = Math.max(1, (System.nanoTime() - startedAt) / 1_000_000);
      long rate = (scanned - scannedBefore) * 1_000 / millis;
      Duration remaining =
          rate == 0 ? null : Duration.ofSeconds(Math.max(0, total - scanned) / rate);
      return new ShardCheckpoint(
          lastKey,
          scanned,
          reencrypted,
          alreadyTarget,
          otherKeys,
          conflicts,
          batches,
          total,
          rate,
          remaining);
    }
  }
}
