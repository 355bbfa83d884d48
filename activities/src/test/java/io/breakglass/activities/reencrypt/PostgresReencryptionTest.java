package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.PostgresColumnStore;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.Shards;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.messages.values.ShardRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresReencryptionTest {

  private static final int ROWS = 1_000;

  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("ai-payload-encryption-key", "v1");
  private final KeyId v2 = keyring.add("ai-payload-encryption-key", "v2");
  private SnapshotTable table;
  private PostgresColumnStore store;

  @BeforeEach
  void seed() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    table = new SnapshotTable(database, keyring);
    table.seed(ROWS, v1);
    store = PostgresColumnStore.create(table.config(v1.secret(), 300, 64), database.dataSource());
  }

  @Test
  void everyShardRun_leavesEveryRowDecryptableUnderTheNewKeyWithItsPlaintextUnchanged() {
    String before = table.plaintextDigest();

    ShardCheckpoint total = runAll(store, v2, Set.of());

    assertThat(table.keyIds().values()).hasSize(ROWS).containsOnly(v2.toString());
    assertThat(table.plaintextDigest()).isEqualTo(before);
    assertThat(total.reencrypted()).isEqualTo(ROWS);
    assertThat(total.scanned()).isEqualTo(ROWS);
  }

  @Test
  void shardsCoverEveryRowExactlyOnce_includingRowsAddedAfterPlanning() {
    List<ShardRange> shards = Shards.of(store.split(300));
    table.seed(5, v1);

    long scanned = 0;
    for (ShardRange shard : shards) {
      scanned +=
          reencryptor(store).run(shard, v2, Set.of(), ShardCheckpoint.start(), c -> {}).scanned();
    }

    assertThat(shards).hasSize(4);
    assertThat(scanned).isEqualTo(ROWS + 5);
  }

  @Test
  void runningAShardTwice_changesNothingTheSecondTime() {
    runAll(store, v2, Set.of());
    Map<Long, String> afterFirst = table.raw();

    ShardCheckpoint second = runAll(store, v2, Set.of());

    assertThat(table.raw()).isEqualTo(afterFirst);
    assertThat(second.reencrypted()).isZero();
    assertThat(second.alreadyTarget()).isEqualTo(ROWS);
  }

  @Test
  void aRunStoppedAfterABatch_resumesFromItsCheckpointWithoutRedoingWork() {
    ShardRange all = new ShardRange(0, null, null);
    List<ShardCheckpoint> heartbeats = new ArrayList<>();
    Consumer<ShardCheckpoint> crashAfterThree =
        c -> {
          heartbeats.add(c);
          if (c.batches() == 3) {
            throw new IllegalStateException("worker killed");
          }
        };
    assertThatThrownBy(
            () ->
                everyBatchDurable(store)
                    .run(all, v2, Set.of(), ShardCheckpoint.start(), crashAfterThree))
        .hasMessage("worker killed");

    ShardCheckpoint resumed =
        everyBatchDurable(store).run(all, v2, Set.of(), heartbeats.get(2), c -> {});

    assertThat(resumed.reencrypted()).isEqualTo(ROWS);
    assertThat(resumed.alreadyTarget()).as("no row re-encrypted twice").isZero();
    assertThat(table.keyIds().values()).containsOnly(v2.toString());
  }

  @Test
  void aDeferringRunStoppedMidway_resumesFromItsLastDurableCheckpoint_andARerunChangesNothing() {
    ShardRange all = new ShardRange(0, null, null);
    List<ShardCheckpoint> heartbeats = new ArrayList<>();
    ShardReencryptor killed = deferring(new KillingStore(store, 5));
    assertThatThrownBy(
            () -> killed.run(all, v2, Set.of(), ShardCheckpoint.start(), heartbeats::add))
        .hasMessage("worker killed");
    assertThat(heartbeats).as("nothing durable reported yet").isEmpty();

    ShardCheckpoint resumed =
        reencryptor(store).run(all, v2, Set.of(), ShardCheckpoint.start(), c -> {});
    Map<Long, String> afterResume = table.raw();
    ShardCheckpoint rerun =
        reencryptor(store).run(all, v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(resumed.alreadyTarget()).as("the killed attempt's five batches").isEqualTo(5 * 64);
    assertThat(resumed.reencrypted()).isEqualTo(ROWS - 5 * 64);
    assertThat(table.keyIds().values()).containsOnly(v2.toString());
    assertThat(table.raw()).as("a re-run changes nothing").isEqualTo(afterResume);
    assertThat(rerun.reencrypted()).isZero();
  }

  @Test
  void negativeControl_theRawComparisonSeesARunThatDoesChangeRows() {
    runAll(store, v2, Set.of());
    Map<Long, String> afterFirst = table.raw();
    KeyId v3 = keyring.add(v1.secret(), "v3");

    runAll(store, v3, Set.of());

    assertThat(table.raw()).isNotEqualTo(afterFirst);
  }

  @Test
  void heartbeatDetails_carryTheShardsTotalRateAndTimeLeft() {
    List<ShardCheckpoint> heartbeats = new ArrayList<>();

    everyBatchDurable(store)
        .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), heartbeats::add);

    assertThat(heartbeats).hasSize((ROWS + 63) / 64);
    assertThat(heartbeats).allSatisfy(h -> assertThat(h.total()).isEqualTo(ROWS));
    assertThat(heartbeats.get(0).lastKey()).isEqualTo("64");
    assertThat(heartbeats.get(heartbeats.size() - 1).scanned()).isEqualTo(ROWS);
    assertThat(heartbeats.get(heartbeats.size() - 1).itemsPerSecond()).isPositive();
    assertThat(heartbeats.get(heartbeats.size() - 1).remaining()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aDeferringRun_reportsOnlyDurableCheckpoints_theLastCoveringTheWholeShard() {
    List<ShardCheckpoint> heartbeats = new ArrayList<>();

    deferring(store)
        .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), heartbeats::add);

    assertThat(heartbeats).hasSize(1);
    assertThat(heartbeats.get(0).scanned()).isEqualTo(ROWS);
    assertThat(heartbeats.get(0).lastKey()).isEqualTo(Integer.toString(ROWS));
  }

  @Test
  void anApplicationWriteBetweenReadAndWrite_isKeptAndNeverOverwritten() {
    long row = 10;
    ItemStore racing = new WriteRacingStore(store, () -> table.applicationWrite(row, 7, v2));

    ShardCheckpoint result =
        reencryptor(racing)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(table.plaintexts().get(row)).isEqualTo(SnapshotTable.plaintext(row, 7));
    assertThat(table.keyIds().values()).containsOnly(v2.toString());
  }

  @Test
  void anApplicationWriteUnderTheOldKey_isReencryptedFromTheApplicationsValue() {
    long row = 10;
    ItemStore racing = new WriteRacingStore(store, () -> table.applicationWrite(row, 7, v1));

    ShardCheckpoint result =
        reencryptor(racing)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(table.plaintexts().get(row)).isEqualTo(SnapshotTable.plaintext(row, 7));
    assertThat(table.keyIds().values()).containsOnly(v2.toString());
  }

  @Test
  void aConditionalWriteWithoutTheRowVersionRead_isRefused() {
    try (ItemSession session = store.open(new ShardRange(0, null, null), null)) {
      StoredItem read = session.next(1).get(0);
      Rewrite blind = new Rewrite(read.key(), read.value(), null, read.value());

      assertThatThrownBy(() -> session.writeIfUnchanged(List.of(blind)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("row version");
    }
  }

  @Test
  void aView_isRefusedAsADataSet_forItHasNoRowVersions() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    new SnapshotTable(database, keyring);
    database
        .jdbi()
        .useHandle(h -> h.execute("CREATE VIEW snapshots_view AS SELECT * FROM ai_json_snapshots"));
    DataSetConfig config = table.config(v1.secret(), 300, 64);
    DataSetConfig onView =
        new DataSetConfig(
            config.name(),
            config.secret(),
            config.type(),
            config.database(),
            "snapshots_view",
            config.idColumn(),
            config.column(),
            config.format(),
            null,
            config.associatedData(),
            300,
            64,
            2,
            0,
            null);

    assertThatThrownBy(() -> PostgresColumnStore.create(onView, database.dataSource()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a table");
  }

  @Test
  void negativeControl_anUnconditionalWriteLosesTheApplicationsWrite() {
    long row = 10;
    ItemStore racing = new WriteRacingStore(store, () -> table.applicationWrite(row, 7, v2));
    ItemStore unconditional = new UnconditionalStore(racing, store);

    reencryptor(unconditional)
        .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(table.plaintexts().get(row))
        .as("the loss the conditional write exists to prevent")
        .isEqualTo(SnapshotTable.plaintext(row, 0));
  }

  @Test
  void reverseReencryption_movesOnlyItemsUnderTheNewKeyBack() {
    KeyId v0 = keyring.add(v1.secret(), "v0");
    table.applicationWrite(1, 1, v0);
    runAll(store, v2, Set.of(v1.versionId()));

    ShardCheckpoint reverse = runAll(store, v1, Set.of(v2.versionId()));

    Map<Long, String> kids = table.keyIds();
    assertThat(kids.get(1L)).isEqualTo(v0.toString());
    assertThat(kids.values().stream().filter(v1.toString()::equals)).hasSize(ROWS - 1);
    assertThat(reverse.otherKeys()).isEqualTo(1);
  }

  @Test
  void anUndecryptableRow_stopsTheShardBeforeItsBatchIsWritten() {
    table.storeRaw(20, table.raw().get(21L));

    assertThatThrownBy(() -> runAll(store, v2, Set.of()))
        .isInstanceOfSatisfying(
            UndecryptableItemException.class,
            e -> {
              assertThat(e.key()).isEqualTo("20");
              assertThat(e.getMessage())
                  .contains("AUTHENTICATION_FAILED")
                  .doesNotContain("synthetic");
            });
    assertThat(table.keyIds().get(1L)).as("batch of row 20 not written").isEqualTo(v1.toString());
  }

  private ShardCheckpoint runAll(ItemStore target, KeyId to, Set<String> sources) {
    long scanned = 0, reencrypted = 0, alreadyTarget = 0, other = 0;
    for (ShardRange shard : Shards.of(target.split(300))) {
      ShardCheckpoint c =
          reencryptor(target).run(shard, to, sources, ShardCheckpoint.start(), x -> {});
      scanned += c.scanned();
      reencrypted += c.reencrypted();
      alreadyTarget += c.alreadyTarget();
      other += c.otherKeys();
    }
    return new ShardCheckpoint(null, scanned, reencrypted, alreadyTarget, other, 0, 0, 0, 0, null);
  }

  private ShardReencryptor reencryptor(ItemStore target) {
    return new ShardReencryptor(target, new JsonEnvelopeCodec(), keyring, 64);
  }

  /** As a rate-limited shard runs: every write durable, every checkpoint reported. */
  private ShardReencryptor everyBatchDurable(ItemStore target) {
    return new ShardReencryptor(
        target, new JsonEnvelopeCodec(), keyring, 64, Throttle.of(0), Duration.ZERO);
  }

  /** Defers durability for longer than the test runs: only the last batch is durable. */
  private ShardReencryptor deferring(ItemStore target) {
    return new ShardReencryptor(
        target, new JsonEnvelopeCodec(), keyring, 64, Throttle.of(0), Duration.ofMinutes(1));
  }

  /** Stops the shard, as a killed worker would, once {@code writes} deferred writes committed. */
  private static final class KillingStore extends DelegatingStore {
    private final int writes;

    KillingStore(ItemStore store, int writes) {
      super(store);
      this.writes = writes;
    }

    @Override
    public ItemSession open(ShardRange shard, String afterKey) {
      ItemSession session = super.open(shard, afterKey);
      int[] done = {0};
      return new DelegatingSession(session) {
        @Override
        public List<StoredItem> next(int max) {
          if (done[0] == writes) {
            throw new IllegalStateException("worker killed");
          }
          return super.next(max);
        }

        @Override
        public Set<String> writeIfUnchangedDeferred(List<Rewrite> rewrites) {
          done[0]++;
          return session.writeIfUnchangedDeferred(rewrites);
        }
      };
    }
  }

  /** Runs {@code race} once, between the engine's first read and its first write. */
  private static final class WriteRacingStore extends DelegatingStore {
    private final Runnable race;
    private boolean raced;

    WriteRacingStore(ItemStore store, Runnable race) {
      super(store);
      this.race = race;
    }

    @Override
    public ItemSession open(ShardRange shard, String afterKey) {
      ItemSession session = super.open(shard, afterKey);
      return new DelegatingSession(session) {
        @Override
        public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
          raceOnce();
          return super.writeIfUnchanged(rewrites);
        }

        @Override
        public Set<String> writeIfUnchangedDeferred(List<Rewrite> rewrites) {
          raceOnce();
          return session.writeIfUnchangedDeferred(rewrites);
        }
      };
    }

    private void raceOnce() {
      if (!raced) {
        raced = true;
        race.run();
      }
    }
  }

  /** Writes whatever was read, ignoring the condition: what the engine must never do. */
  private static final class UnconditionalStore extends DelegatingStore {
    private final PostgresColumnStore raw;

    UnconditionalStore(ItemStore racing, PostgresColumnStore raw) {
      super(racing);
      this.raw = raw;
    }

    @Override
    public ItemSession open(ShardRange shard, String afterKey) {
      ItemSession session = super.open(shard, afterKey);
      return new DelegatingSession(session) {
        @Override
        public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
          super.writeIfUnchanged(List.of());
          List<Rewrite> blind = new ArrayList<>();
          try (ItemSession fresh = raw.open(shard, null)) {
            Collection<String> keys = rewrites.stream().map(Rewrite::key).toList();
            for (StoredItem current : fresh.read(keys)) {
              Rewrite r =
                  rewrites.stream()
                      .filter(w -> w.key().equals(current.key()))
                      .findFirst()
                      .orElseThrow();
              blind.add(Rewrite.of(current, r.replacement()));
            }
            return fresh.writeIfUnchanged(blind);
          }
        }
      };
    }
  }
}
