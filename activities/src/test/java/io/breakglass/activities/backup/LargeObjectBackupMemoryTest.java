package io.breakglass.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.HeapProbe;
import io.breakglass.activities.testing.LocalS3;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded for large objects in backups: a bucket with an object of 160 MiB is backed
 * up (the object streamed into the archive, sampled and decrypted as a stream) and the object
 * restored into S3 byte for byte by a JVM with a 64 MB heap (as for re-encryption: 48 MB leaves the
 * SDK's Apache 5 client too little room). The negative control proves the object does not fit that
 * heap, so only streaming can pass. Each run starts {@link LargeObjectBackupMemoryProbe} in a JVM
 * of its own.
 */
class LargeObjectBackupMemoryTest {

  private static final String HEAP = "-Xmx64m";
  private static final int MIB = 160;

  @RegisterExtension static final LocalS3.PerClass s3 = new LocalS3.PerClass();

  @TempDir Path work;

  @Test
  void anObjectFarLargerThanTheHeap_isBackedUpVerifiedAndRestoredAsAStream() throws Exception {
    HeapProbe run = probe("stream");

    assertThat(run.exit()).as(run.output()).isZero();
    String last = run.lastLine();
    assertThat(last)
        .contains(
            "items=2",
            "sampleVerified=2",
            "restored=1",
            "stillUndecryptable=0",
            "sameCiphertext=true");
    assertThat(run.number("bytes"))
        .as("object size against the heap")
        .isGreaterThan(2 * run.number("maxHeap"));
  }

  @Test
  void negativeControl_readingThatObjectIntoMemory_runsOutOfHeap() throws Exception {
    HeapProbe run = probe("collect");

    assertThat(run.ranOutOfHeap()).as(run.output()).isTrue();
  }

  private HeapProbe probe(String mode) throws IOException, InterruptedException {
    String bucket = "backup-scans-" + mode;
    s3.get().createBucket(bucket);
    return HeapProbe.run(
        HEAP,
        LargeObjectBackupMemoryProbe.class,
        work.resolve(mode + ".log"),
        s3.get().aws().s3Endpoint().toString(),
        bucket,
        work.resolve("backups").toString(),
        mode,
        Integer.toString(MIB));
  }
}
