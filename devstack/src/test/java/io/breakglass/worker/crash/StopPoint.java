package io.breakglass.worker.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An exact moment at which a worker process halts so that a test can kill it there. On the command
 * line it reads {@code KIND:n}, e.g. {@code MID_BATCH:11}.
 *
 * @param kind which moment
 * @param n which occurrence, from 1: of the conditional write, the committed batch or the shard
 */
record StopPoint(Kind kind, int n) {

  /** The moments a worker can be killed at. */
  enum Kind {
    /** Before the n-th conditional write runs: its batch is read and re-encrypted, not written. */
    MID_BATCH,
    /** After the n-th conditional write committed and was heartbeated, before the next read. */
    BETWEEN_BATCHES,
    /** After the n-th shard returned its result, before Temporal hears of it. */
    AFTER_SHARD
  }

  StopPoint {
    if (n < 1) {
      throw new IllegalArgumentException("occurrences count from 1, got " + n);
    }
  }

  static StopPoint parse(String text) {
    String[] parts = text.split(":", 2);
    return new StopPoint(Kind.valueOf(parts[0]), Integer.parseInt(parts[1]));
  }

  @Override
  public String toString() {
    return kind + ":" + n;
  }

  /**
   * Events that, at this point, create {@code marker} and then hold the thread that got there until
   * the process is killed (interrupts included: a dead worker does not clean up).
   */
  BatchEvents haltingAt(Path marker) {
    return new BatchEvents() {
      @Override
      public void beforeConditionalWrite(int write, List<Long> rows) {
        haltIf(Kind.MID_BATCH, write);
      }

      @Override
      public void betweenBatches(int write) {
        haltIf(Kind.BETWEEN_BATCHES, write);
      }

      @Override
      public void afterShard(int shard) {
        haltIf(Kind.AFTER_SHARD, shard);
      }

      private void haltIf(Kind reached, int occurrence) {
        if (reached != kind || occurrence != n) {
          return;
        }
        try {
          Files.writeString(marker, StopPoint.this.toString());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create " + marker, e);
        }
        while (true) {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException ignored) {
            // hold on: only the kill ends this
          }
        }
      }
    };
  }
}
