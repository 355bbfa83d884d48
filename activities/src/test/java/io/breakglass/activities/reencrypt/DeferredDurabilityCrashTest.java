package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.PostgresColumnStore;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.testing.CrashablePostgres;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash of PostgreSQL itself (every server process killed) right after a batch whose commit did
 * not wait for its WAL flush: the crash undoes that batch, and the shard's retry must redo it. It
 * does, because the engine reports (heartbeats) only checkpoints whose writes are durable. The
 * negative control resumes from the checkpoint an engine that reported every commit would have
 * heartbeated, and finds the undone rows left under the old key.
 */
class DeferredDurabilityCrashTest {

  private static final int ROWS = 60;
  private static final int BATCH = 10;
  private static final int CRASH_AFTER_WRITE = 3;
  private static final ShardRange ALL = new ShardRange(0, null, null);

  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("ai-payload-encryption-key", "v1");
  private final KeyId v2 = keyring.add("ai-payload-encryption-key", "v2");
  @TempDir Path folder;
  private CrashablePostgres postgres;
  private SnapshotTable table;
  private PostgresColumnStore store;

  @BeforeEach
  void seed() {
    postgres = CrashablePostgres.start(folder);
    table = new SnapshotTable(postgres.database(), keyring);
    table.seed(ROWS, v1);
    store =
        PostgresColumnStore.create(
            table.config(v1.secret(), ROWS, BATCH), postgres.database().dataSource());
  }

  @AfterEach
  void stop() {
    postgres.close();
  }

  @Test
  void aCrashThatUndoesDeferredCommits_isRedoneByTheRetryFromTheLastReportedCheckpoint() {
    List<ShardCheckpoint> heartbeats = new ArrayList<>();
    String before = table.plaintextDigest();

    crashAfterThirdWrite(Duration.ofMinutes(1), heartbeats);

    assertThat(underOldKey(1, CRASH_AFTER_WRITE * BATCH))
        .as("the crash undid at least one deferred commit")
        .isNotEmpty();
    assertThat(heartbeats).as("no checkpoint reported before a durable write").isEmpty();

    ShardCheckpoint retry =
        deferringFor(Duration.ofMinutes(1))
            .run(ALL, v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(table.keyIds().values()).hasSize(ROWS).containsOnly(v2.toString());
    assertThat(table.plaintextDigest()).isEqualTo(before);
    assertThat(retry.scanned()).isEqualTo(ROWS);
  }

  @Test
  void durableWrites_surviveTheSameCrash_andTheirCheckpointsAreReported() {
    List<ShardCheckpoint> heartbeats = new ArrayList<>();

    crashAfterThirdWrite(Duration.ZERO, heartbeats);

    assertThat(underOldKey(1, CRASH_AFTER_WRITE * BATCH)).isEmpty();
    assertThat(heartbeats).hasSize(CRASH_AFTER_WRITE);
    assertThat(heartbeats.get(CRASH_AFTER_WRITE - 1).lastKey()).isEqualTo("30");
  }

  @Test
  void negativeControl_resumingFromACheckpointReportedBeforeItsWriteWasDurable_leavesRowsBehind() {
    crashAfterThirdWrite(Duration.ofMinutes(1), new ArrayList<>());
    List<Long> undone = underOldKey(1, CRASH_AFTER_WRITE * BATCH);
    // What a heartbeat after every commit would have recorded: the third batch done.
    ShardCheckpoint eager =
        new ShardCheckpoint("30", 30, 30, 0, 0, 0, CRASH_AFTER_WRITE, ROWS, 0, null);

    deferringFor(Duration.ofMinutes(1)).run(ALL, v2, Set.of(), eager, c -> {});

    assertThat(undone).isNotEmpty();
    assertThat(underOldKey(1, ROWS)).as("left behind under the old key").isEqualTo(undone);
  }

  /**
   * Runs the shard until its third write has committed, crashes the server there (the write's WAL
   * still in the server's memory if it was deferred), and restarts it.
   */
  private void crashAfterThirdWrite(Duration window, List<ShardCheckpoint> heartbeats) {
    int[] writes = {0};
    ItemStore crashing =
        new DelegatingStore(store) {
          @Override
          public ItemSession open(ShardRange shard, String afterKey) {
            return new CrashingSession(super.open(shard, afterKey), writes);
          }
        };
    ShardReencryptor engine = deferringFor(crashing, window);
    assertThatThrownBy(
            () -> engine.run(ALL, v2, Set.of(), ShardCheckpoint.start(), heartbeats::add))
        .isInstanceOf(DataStoreException.class);
    postgres.restart();
  }

  private ShardReencryptor deferringFor(Duration window) {
    return deferringFor(store, window);
  }

  private ShardReencryptor deferringFor(ItemStore target, Duration window) {
    return new ShardReencryptor(
        target, new JsonEnvelopeCodec(), keyring, BATCH, Throttle.of(0), window);
  }

  private List<Long> underOldKey(long from, long to) {
    Map<Long, String> kids = table.keyIds();
    return kids.entrySet().stream()
        .filter(e -> e.getKey() >= from && e.getKey() <= to)
        .filter(e -> e.getValue().equals(v1.toString()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Crashes the server right after the session's third write returned. */
  private final class CrashingSession extends DelegatingSession {
    private final ItemSession session;
    private final int[] writes;

    CrashingSession(ItemSession session, int[] writes) {
      super(session);
      this.session = session;
      this.writes = writes;
    }

    @Override
    public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
      return crashOnThird(session.writeIfUnchanged(rewrites));
    }

    @Override
    public Set<String> writeIfUnchangedDeferred(List<Rewrite> rewrites) {
      return crashOnThird(session.writeIfUnchangedDeferred(rewrites));
    }

    private Set<String> crashOnThird(Set<String> written) {
      if (++writes[0] == CRASH_AFTER_WRITE) {
        postgres.crash();
      }
      return written;
    }
  }
}
