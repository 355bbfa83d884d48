package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bench's chart artifacts in S3: binary envelopes of random synthetic content under a bucket
 * prefix, each bound to its key below the prefix, named as {@link ChartFiles} names the files.
 */
final class ChartObjects {

  private ChartObjects() {}

  /** Puts {@code count} objects under {@code key}, two threads at a time. */
  static void seed(
      S3Client client,
      String bucket,
      String prefix,
      int count,
      int bytes,
      KeyId key,
      Keyring ring) {
    SecretKey secretKey = ring.key(key);
    List<LongSupplier> halves = new ArrayList<>();
    for (int first : new int[] {1, 2}) {
      halves.add(
          () -> {
            BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();
            EnvelopeCipher cipher = new EnvelopeCipher();
            Random random = new Random(20261203L + first);
            byte[] plaintext = new byte[bytes];
            long written = 0;
            for (int i = first; i <= count; i += 2) {
              String relative = relativeKey(i);
              random.nextBytes(plaintext);
              byte[] stored =
                  codec.encode(
                      cipher.encrypt(
                          key, secretKey, plaintext, relative.getBytes(StandardCharsets.UTF_8)));
              client.putObject(
                  PutObjectRequest.builder().bucket(bucket).key(prefix + relative).build(),
                  RequestBody.fromBytes(stored));
              written++;
            }
            return written;
          });
    }
    Parallel.sum(2, halves);
  }

  /** The key below the prefix of the {@code i}-th artifact (from 1). */
  static String relativeKey(int i) {
    return SnapshotRows.patientRef((i - 1) / ChartFiles.PER_FOLDER)
        + "/chart-"
        + String.format("%07d", i)
        + ".pdf";
  }

  /** Every key below {@code prefix}, without it, in S3's listing order. */
  static List<String> list(S3Client client, String bucket, String prefix) {
    return client
        .listObjectsV2Paginator(
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
        .contents()
        .stream()
        .map(S3Object::key)
        .map(key -> key.substring(prefix.length()))
        .toList();
  }
}
