package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The yardstick for S3 objects: a hand-written loop with the guarantee the engine keeps and nothing
 * more. It lists the prefix once and each thread takes a contiguous part of the keys; per object:
 * GET (the bytes and their ETag), decrypt, encrypt, PUT with {@code If-Match} on that ETag, so S3
 * refuses (412) a write over an object the application replaced since, as it refuses the engine's.
 * A refused write is not retried: nothing else writes during the bench, so the run then falls short
 * of its count and the bench stops.
 */
final class S3Loop {

  private S3Loop() {}

  /** Moves every object under {@code prefix} to {@code target}; returns objects rewritten. */
  static long run(
      S3Client client, String bucket, String prefix, Keyring keyring, KeyId target, int threads) {
    List<String> keys = ChartObjects.list(client, bucket, prefix);
    int part = (keys.size() + threads - 1) / threads;
    List<LongSupplier> parts = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += part) {
      List<String> mine = keys.subList(from, Math.min(keys.size(), from + part));
      parts.add(() -> rewrite(client, bucket, prefix, mine, keyring, target));
    }
    return Parallel.sum(threads, parts);
  }

  private static long rewrite(
      S3Client client,
      String bucket,
      String prefix,
      List<String> keys,
      Keyring keyring,
      KeyId target) {
    Reencryption reencryption = new Reencryption(new BinaryEnvelopeCodec(), keyring, target);
    long rewritten = 0;
    for (String key : keys) {
      ResponseBytes<GetObjectResponse> read =
          client.getObjectAsBytes(
              GetObjectRequest.builder().bucket(bucket).key(prefix + key).build());
      byte[] replacement = reencryption.reencrypt(read.asByteArray(), key);
      if (replacement != null
          && putIfMatch(client, bucket, prefix + key, replacement, read.response().eTag())) {
        rewritten++;
      }
    }
    return rewritten;
  }

  /** Puts {@code value} if the object still has {@code etag}; false when S3 says it changed. */
  static boolean putIfMatch(
      S3Client client, String bucket, String objectKey, byte[] value, String etag) {
    try {
      client.putObject(
          PutObjectRequest.builder().bucket(bucket).key(objectKey).ifMatch(etag).build(),
          RequestBody.fromBytes(value));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
