package io.breakglass.activities.data.s3;

import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ItemChangedException;
import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.activities.data.StreamRewrite;
import io.breakglass.workflows.messages.values.ShardRange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One shard of an {@link S3ObjectStore}. Every write is conditional on the ETag of the bytes read
 * ({@code PutObject} or {@code CompleteMultipartUpload} with {@code If-Match}), so S3 itself
 * refuses it (412) when the application wrote the object after our read: unlike a folder, there is
 * no window between comparison and replacement. Not thread-safe.
 */
final class S3ItemSession implements LargeItemSession {

  /** Bytes per uploaded part of a large rewrite (S3's minimum is 5 MiB). */
  static final int PART_BYTES = 8 << 20;

  private final S3ObjectStore store;
  private final ShardRange shard;
  private final String afterKey;
  private final Iterator<S3Object> objects;

  /** The ETag of every value this session read, by key, for the conditional writes. */
  private final Map<String, Read> reads = new HashMap<>();

  private List<LargeItem> large = List.of();
  private String lastKey;
  private long remaining = -1;
  private boolean exhausted;

  /**
   * An item read whole and the ETag of exactly those bytes.
   *
   * @param item the item
   * @param etag its ETag as S3 returned it
   */
  record Read(StoredItem item, String etag) {}

  S3ItemSession(S3ObjectStore store, ShardRange shard, String afterKey) {
    this.store = store;
    this.shard = shard;
    this.afterKey = afterKey;
    this.objects = store.list(startAfter(shard, afterKey));
  }

  /** Where the listing starts: after the checkpoint, or just before the shard's first key. */
  private static String startAfter(ShardRange shard, String afterKey) {
    if (afterKey != null) {
      return afterKey;
    }
    return shard.fromKey() == null ? null : KeyOrder.before(shard.fromKey());
  }

  /** Counts the shard's keys with a listing of their own (a few requests per thousand keys). */
  @Override
  public long remaining() {
    if (remaining < 0) {
      long count = 0;
      for (Iterator<S3Object> all = store.list(startAfter(shard, afterKey)); all.hasNext(); ) {
        String key = store.key(all.next());
        if (beyond(key)) {
          break;
        }
        count += inShard(key) ? 1 : 0;
      }
      remaining = count;
    }
    return remaining;
  }

  @Override
  public List<StoredItem> next(int max) {
    List<StoredItem> items = new ArrayList<>();
    List<LargeItem> passed = new ArrayList<>();
    while (!exhausted && items.size() + passed.size() < max && objects.hasNext()) {
      S3Object object = objects.next();
      String key = store.key(object);
      if (beyond(key)) {
        exhausted = true;
      } else if (inShard(key)) {
        lastKey = key;
        if (object.size() > store.location().multipartThreshold()) {
          passed.add(new LargeItem(key, object.size(), object.eTag()));
        } else {
          store.read(key).ifPresent(read -> items.add(remember(read)));
        }
      }
    }
    large = passed;
    return items;
  }

  @Override
  public List<LargeItem> largeItems() {
    return large;
  }

  @Override
  public String lastKey() {
    return lastKey;
  }

  @Override
  public List<StoredItem> read(Collection<String> keys) {
    List<StoredItem> items = new ArrayList<>();
    for (String key : keys) {
      store.read(key).ifPresent(read -> items.add(remember(read)));
    }
    return items;
  }

  /**
   * Writes each replacement with {@code If-Match} on the ETag of the value read. A value this
   * session did not read, or read with other bytes than {@code expected}, is read again first.
   */
  @Override
  public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
    Set<String> written = new HashSet<>();
    for (Rewrite rewrite : rewrites) {
      Read read = reads.get(rewrite.key());
      if (read == null || !Arrays.equals(read.item().value(), rewrite.expected())) {
        read = store.read(rewrite.key()).orElse(null);
      }
      if (read != null
          && Arrays.equals(read.item().value(), rewrite.expected())
          && put(rewrite.key(), rewrite.replacement(), read.etag())) {
        written.add(rewrite.key());
      }
    }
    return written;
  }

  @Override
  public Optional<LargeItem> current(String key) {
    try {
      HeadObjectResponse head =
          store
              .client()
              .headObject(
                  HeadObjectRequest.builder()
                      .bucket(store.location().bucket())
                      .key(store.objectKey(key))
                      .build());
      return Optional.of(new LargeItem(key, head.contentLength(), head.eTag()));
    } catch (NoSuchKeyException gone) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw store.failure("cannot look up " + key, e);
    } catch (SdkException e) {
      throw store.failure("cannot look up " + key, e);
    }
  }

  @Override
  public InputStream open(LargeItem item) {
    try {
      return store
          .client()
          .getObject(
              GetObjectRequest.builder()
                  .bucket(store.location().bucket())
                  .key(store.objectKey(item.key()))
                  .ifMatch(item.version())
                  .build());
    } catch (NoSuchKeyException e) {
      throw new ItemChangedException("object " + item.key() + " is gone");
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        throw new ItemChangedException("object " + item.key() + " changed since it was listed");
      }
      throw store.failure("cannot read " + item.key(), e);
    } catch (SdkException e) {
      throw store.failure("cannot read " + item.key(), e);
    }
  }

  @Override
  public Outcome rewriteIfUnchanged(LargeItem item, StreamRewrite rewrite) {
    InputStream stored;
    try {
      stored = open(item);
    } catch (ItemChangedException e) {
      return Outcome.LOST;
    }
    MultipartUpload upload =
        new MultipartUpload(
            store.client(), store.location().bucket(), store.objectKey(item.key()), PART_BYTES);
    try (stored) {
      if (!rewrite.rewrite(stored, upload)) {
        upload.abort();
        return Outcome.UNCHANGED;
      }
      return upload.completeIfMatch(item.version()) ? Outcome.WRITTEN : Outcome.LOST;
    } catch (IOException e) {
      upload.abort();
      throw new DataStoreException(
          "cannot rewrite " + item.key() + " (" + e.getClass().getSimpleName() + ")", e);
    } catch (SdkException e) {
      upload.abort();
      throw store.failure("cannot rewrite " + item.key(), e);
    } catch (RuntimeException e) {
      upload.abort();
      throw e;
    }
  }

  @Override
  public void close() {
    // nothing held open between calls: each request takes a pooled connection and returns it
  }

  private StoredItem remember(Read read) {
    reads.put(read.item().key(), read);
    return read.item();
  }

  /** Puts {@code value} if the object still has {@code etag}; false when S3 says it changed. */
  private boolean put(String key, byte[] value, String etag) {
    try {
      store
          .client()
          .putObject(
              PutObjectRequest.builder()
                  .bucket(store.location().bucket())
                  .key(store.objectKey(key))
                  .ifMatch(etag)
                  .build(),
              RequestBody.fromBytes(value));
      reads.remove(key);
      return true;
    } catch (S3Exception e) {
      // 412: written since our read; 404: deleted since (If-Match never creates an object).
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        return false;
      }
      throw store.failure("cannot rewrite " + key, e);
    } catch (SdkException e) {
      throw store.failure("cannot rewrite " + key, e);
    }
  }

  private boolean inShard(String key) {
    return (shard.fromKey() == null || KeyOrder.compare(key, shard.fromKey()) >= 0)
        && (afterKey == null || KeyOrder.compare(key, afterKey) > 0);
  }

  private boolean beyond(String key) {
    return shard.toKey() != null && KeyOrder.compare(key, shard.toKey()) >= 0;
  }
}
