package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.HeapProbe;
import io.breakglass.activities.testing.LocalS3;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded for large objects: an object of 160 MiB is re-encrypted (multipart) and
 * scanned by a JVM with a 64 MB heap (48 MB left the SDK's Apache 5 client too little room). The
 * negative control proves the object does not fit that heap, so only streaming can pass. Each run
 * starts {@link LargeObjectMemoryProbe} in a JVM of its own.
 */
class LargeObjectMemoryTest {

  private static final String HEAP = "-Xmx64m";
  private static final int MIB = 160;

  @RegisterExtension static final LocalS3.PerClass s3 = new LocalS3.PerClass();

  @TempDir Path work;

  @Test
  void anObjectFarLargerThanTheHeap_isReencryptedAndScannedAsAStream() throws Exception {
    HeapProbe run = probe("stream");

    assertThat(run.exit()).as(run.output()).isZero();
    String last = run.lastLine();
    assertThat(last).contains("reencrypted=1", "underNewKey=1", "undecryptable=0");
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
    String bucket = "scans-" + mode;
    s3.get().createBucket(bucket);
    return HeapProbe.run(
        HEAP,
        LargeObjectMemoryProbe.class,
        work.resolve(mode + ".log"),
        s3.get().aws().s3Endpoint().toString(),
        bucket,
        mode,
        Integer.toString(MIB));
  }
}
