package io.breakglass.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.HeapProbe;
import io.breakglass.activities.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays flat: a table of about 130 MB is backed up, verified and restored by a JVM with a 48
 * MB heap. The negative control proves the table does not fit that heap, so only streaming can
 * pass. Each run starts {@link BackupMemoryProbe} in a JVM of its own.
 */
class BackupMemoryTest {

  private static final String HEAP = "-Xmx48m";
  private static final int ROWS = 30_000;

  @TempDir Path work;

  @Test
  void aTableFarLargerThanTheHeap_isBackedUpVerifiedAndRestoredByStreaming() throws Exception {
    HeapProbe run = probe("stream");

    assertThat(run.exit()).as(run.output()).isZero();
    String last = run.lastLine();
    assertThat(last)
        .contains("items=" + ROWS, "sampleVerified=20", "restored=25", "stillUndecryptable=0");
    assertThat(run.number("bytes"))
        .as("backup size against the heap")
        .isGreaterThan(2 * run.number("maxHeap"));
  }

  @Test
  void negativeControl_readingThatTableIntoMemory_runsOutOfHeap() throws Exception {
    HeapProbe run = probe("collect");

    assertThat(run.ranOutOfHeap()).as(run.output()).isTrue();
  }

  private HeapProbe probe(String mode) throws IOException, InterruptedException {
    TestPostgres.Database database = TestPostgres.newDatabase();
    return HeapProbe.run(
        HEAP,
        BackupMemoryProbe.class,
        work.resolve(mode + ".log"),
        database.url(),
        work.resolve("backups").toString(),
        mode,
        Integer.toString(ROWS));
  }
}
