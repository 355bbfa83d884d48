package io.breakglass.activities.testing;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EncryptingOutputStream;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.s3.MultipartUpload;
import io.breakglass.workflows.messages.values.DataSetType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Synthetic chart artifacts under a bucket prefix, written as the application would: a binary
 * envelope bound to the key below the prefix, or a streaming envelope for large objects.
 */
public final class S3Artifacts {

  /** The smallest threshold S3 allows; tests keep large objects a few parts long. */
  public static final long THRESHOLD = 5L << 20;

  private final S3Client client;
  private final Keyring keyring;
  private final String bucket;
  private final String prefix;

  public S3Artifacts(S3Client client, Keyring keyring, String bucket, String prefix) {
    this.client = client;
    this.keyring = keyring;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  public S3Location location() {
    return new S3Location(bucket, prefix, THRESHOLD);
  }

  public DataSetConfig config(String secret, int shardSize, int batchSize) {
    return new DataSetConfig(
        "chart-objects",
        secret,
        DataSetType.S3_OBJECTS,
        null,
        null,
        null,
        null,
        null,
        null,
        AssociatedDataMode.OBJECT_PATH,
        shardSize,
        batchSize,
        2,
        0,
        null,
        location());
  }

  /** Writes {@code count} small artifacts under two "folders", encrypted under {@code key}. */
  public void seed(int count, KeyId key) {
    for (int i = 0; i < count; i++) {
      write(
          String.format("patient-%02d/chart-%04d.pdf", i % 2, i),
          ArtifactFolder.content(i, 0),
          key);
    }
  }

  /** Writes one small artifact (a binary envelope); returns its ETag. */
  public String write(String relative, String content, KeyId key) {
    byte[] stored =
        new BinaryEnvelopeCodec()
            .encode(
                new EnvelopeCipher()
                    .encrypt(
                        key,
                        keyring.key(key),
                        content.getBytes(StandardCharsets.UTF_8),
                        bound(relative)));
    return put(relative, stored);
  }

  /**
   * Writes one large artifact (a streaming envelope) of {@code size} pseudo-random bytes, streamed
   * into a multipart upload of 8 MiB parts as the adapters write one.
   */
  public void writeLarge(String relative, long size, KeyId key) {
    MultipartUpload upload = new MultipartUpload(client, bucket, prefix + relative, 8 << 20);
    try (EncryptingOutputStream out =
        new EncryptingOutputStream(upload, key, keyring, bound(relative))) {
      byte[] block = new byte[1 << 16];
      java.util.Random random = new java.util.Random(size);
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    upload.complete();
  }

  /**
   * Writes one large artifact of {@code size} pseudo-random bytes as the first streaming envelope
   * version sealed it (in memory: keep it a few MiB), as an object stored before per-stream keys.
   */
  public void writeLargeFirstVersion(String relative, int size, KeyId key) {
    byte[] plaintext = new byte[size];
    new java.util.Random(size).nextBytes(plaintext);
    byte[] prefix = new byte[7];
    new java.util.Random(size + 1L).nextBytes(prefix);
    put(
        relative,
        FirstVersionStreams.seal(key, keyring.key(key), prefix, bound(relative), plaintext));
  }

  public String put(String relative, byte[] stored) {
    return client
        .putObject(
            PutObjectRequest.builder().bucket(bucket).key(prefix + relative).build(),
            RequestBody.fromBytes(stored))
        .eTag();
  }

  public byte[] stored(String relative) {
    return client
        .getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(prefix + relative).build())
        .asByteArray();
  }

  public String etag(String relative) {
    return client
        .headObject(HeadObjectRequest.builder().bucket(bucket).key(prefix + relative).build())
        .eTag();
  }

  /** The key id each object is under, small or large. */
  public Map<String, String> keyIds() {
    Map<String, String> kids = new TreeMap<>();
    for (String relative : keys()) {
      byte[] stored = stored(relative);
      kids.put(
          relative,
          stored[0] == BinaryEnvelopeCodec.MAGIC
              ? new BinaryEnvelopeCodec().decode(stored).keyId().toString()
              : streamed(relative, stored).keyId().toString());
    }
    return kids;
  }

  /** SHA-256 of each object's plaintext; throws if one does not decrypt. */
  public Map<String, String> plaintextDigests() {
    Map<String, String> digests = new TreeMap<>();
    for (String relative : keys()) {
      byte[] stored = stored(relative);
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (stored[0] == BinaryEnvelopeCodec.MAGIC) {
          sha.update(
              new EnvelopeCipher()
                  .decrypt(new BinaryEnvelopeCodec().decode(stored), keyring, bound(relative)));
        } else {
          try (InputStream in = new DigestInputStream(streamed(relative, stored), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
        digests.put(relative, HexFormat.of().formatHex(sha.digest()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return digests;
  }

  /** Relative keys under the prefix, sorted. */
  public java.util.List<String> keys() {
    return client
        .listObjectsV2Paginator(
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
        .contents()
        .stream()
        .map(S3Object::key)
        .map(k -> k.substring(prefix.length()))
        .toList();
  }

  private DecryptingInputStream streamed(String relative, byte[] stored) {
    try {
      return new DecryptingInputStream(
          new java.io.ByteArrayInputStream(stored), keyring, bound(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bound(String relative) {
    return relative.getBytes(StandardCharsets.UTF_8);
  }
}
