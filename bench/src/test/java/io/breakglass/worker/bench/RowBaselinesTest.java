package io.breakglass.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every row baseline re-encrypts every row: after each, the scan the bench's final check uses finds
 * every row, each decrypting under that run's target. Speed is the command's business.
 */
class RowBaselinesTest {

  /** Not a multiple of the batch: each range ends with a short batch. */
  private static final int ROWS = 1_050;

  private static final int BATCH = 100;

  @TempDir static Path data;
  private static BenchStack stack;

  @BeforeAll
  static void seed() {
    stack = BenchStack.start(new BenchOptions(ROWS, 2_048, 1, 1_024, 1, 1, BATCH, 500, data));
    KeyId first = stack.currentKey(DevSettings.PAYLOAD_KEY);
    SnapshotRows.seed(stack.app(), ROWS, 2_048, first, new StoreKeyring(stack.store()));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @ParameterizedTest
  @EnumSource(RowBaseline.class)
  void aBaseline_leavesEveryRowDecryptingUnderItsTarget_noneLost(RowBaseline baseline) {
    KeyId target = stack.freshVersion(DevSettings.PAYLOAD_KEY);

    long rewritten = baseline.run(stack.app(), new StoreKeyring(stack.store()), target, BATCH);

    assertThat(rewritten).isEqualTo(ROWS);
    ScanReport scan = scan();
    assertThat(scan.items()).as("rows still there").isEqualTo(ROWS);
    assertThat(scan.undecryptable()).isZero();
    assertThat(scan.itemsUnder(target.toString())).as("rows under the target").isEqualTo(ROWS);
  }

  @Test
  void negativeControl_aLoopThatSkipsOneBatchButCountsIt_isCaughtByTheScan() {
    KeyId target = stack.freshVersion(DevSettings.PAYLOAD_KEY);
    AtomicInteger batches = new AtomicInteger();

    long claimed =
        KeysetLoop.run(
            stack.app(),
            new StoreKeyring(stack.store()),
            target,
            BATCH,
            BenchSettings.PARALLEL,
            connection -> new SkipsSecondBatch(new UnnestWrite(connection), batches));

    assertThat(claimed).as("the count alone cannot tell").isEqualTo(ROWS);
    ScanReport scan = scan();
    assertThat(scan.items()).isEqualTo(ROWS);
    assertThat(scan.undecryptable()).isZero();
    assertThat(scan.itemsUnder(target.toString())).isEqualTo(ROWS - BATCH);
  }

  private ScanReport scan() {
    ProtectedDataSet table = stack.dataSet(BenchSettings.ROWS);
    return new DataSetScanner(
            BenchSettings.ROWS, table.store(), table.codec(), new StoreKeyring(stack.store()))
        .scan(10, n -> {});
  }

  /** Reports the second batch of the run (over all threads) as written, and writes nothing. */
  private static final class SkipsSecondBatch implements BatchWrite {
    private final BatchWrite write;
    private final AtomicInteger batches;

    SkipsSecondBatch(BatchWrite write, AtomicInteger batches) {
      this.write = write;
      this.batches = batches;
    }

    @Override
    public long write(long[] ids, String[] values, int count) throws SQLException {
      return batches.incrementAndGet() == 2 ? count : write.write(ids, values, count);
    }

    @Override
    public void close() throws SQLException {
      write.close();
    }
  }
}
