package io.breakglass.activities.data.s3;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardLayout;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Chart artifacts as objects under a bucket prefix. Keys are object keys without the prefix, in
 * S3's listing order; objects up to the location's multipart threshold are binary envelopes read
 * whole, larger ones are streaming envelopes read and rewritten as streams (see {@link
 * S3ItemSession}). Keys ending in '/' (folder markers) are not items. Thread-safe.
 */
public final class S3ObjectStore implements ItemStore {

  /** Shards are listed by name in the plan: this many at most, as for folders. */
  static final int MAX_SHARDS = 2_000;

  private final S3Client client;
  private final String dataSet;
  private final S3Location location;
  private final AssociatedDataMode associatedData;

  S3ObjectStore(
      S3Client client, String dataSet, S3Location location, AssociatedDataMode associatedData) {
    this.client = client;
    this.dataSet = dataSet;
    this.location = location;
    this.associatedData = associatedData;
  }

  /**
   * A store for {@code config}'s bucket and prefix.
   *
   * @param client the S3 client, asked for once the configuration is known to be sound
   * @throws IllegalArgumentException when the data set has no S3 location or binds to row ids
   */
  public static S3ObjectStore create(DataSetConfig config, Supplier<S3Client> client) {
    if (config.s3() == null) {
      throw new IllegalArgumentException(
          "data set " + config.name() + ": type S3_OBJECTS needs s3 (bucket, prefix)");
    }
    if (config.associatedData() == AssociatedDataMode.ROW_ID) {
      throw new IllegalArgumentException(
          "data set " + config.name() + ": associatedData ROW_ID is for table columns");
    }
    return new S3ObjectStore(client.get(), config.name(), config.s3(), config.associatedData());
  }

  @Override
  public long count() {
    long count = 0;
    for (Iterator<S3Object> objects = list(null); objects.hasNext(); objects.next()) {
      count++;
    }
    return count;
  }

  /**
   * Ranges between sorted keys, every {@code shardSize} keys, in one listing pass: whenever the
   * boundaries would exceed {@value #MAX_SHARDS}, every other one is dropped and the spacing
   * doubles, so memory holds the boundaries only.
   */
  @Override
  public ShardLayout split(int shardSize) {
    List<String> boundaries = new ArrayList<>();
    long spacing = shardSize;
    long index = 0;
    for (Iterator<S3Object> objects = list(null); objects.hasNext(); index++) {
      String key = key(objects.next());
      if (index > 0 && index % spacing == 0) {
        boundaries.add(key);
        if (boundaries.size() > MAX_SHARDS) {
          List<String> kept = new ArrayList<>();
          for (int i = 1; i < boundaries.size(); i += 2) {
            kept.add(boundaries.get(i));
          }
          boundaries = kept;
          spacing *= 2;
        }
      }
    }
    return ShardLayout.nameRanges(boundaries);
  }

  @Override
  public ItemSession open(ShardRange shard, String afterKey) {
    return new S3ItemSession(this, shard, afterKey);
  }

  /** The newest items readable whole; large objects are streaming envelopes and are left out. */
  @Override
  public List<StoredItem> newest(int n) {
    Deque<String> last = new ArrayDeque<>();
    for (Iterator<S3Object> objects = list(null); objects.hasNext(); ) {
      S3Object object = objects.next();
      if (object.size() <= location.multipartThreshold()) {
        last.addFirst(key(object));
        if (last.size() > n) {
          last.removeLast();
        }
      }
    }
    List<StoredItem> items = new ArrayList<>();
    for (String key : last) {
      read(key).ifPresent(read -> items.add(read.item()));
    }
    return items;
  }

  @Override
  public byte[] associatedData(String key) {
    return associatedData == AssociatedDataMode.OBJECT_PATH
        ? key.getBytes(StandardCharsets.UTF_8)
        : null;
  }

  /**
   * The data set's objects with keys after {@code startAfter} (a key without the prefix; null for
   * all), in key order, listed a page at a time as the iterator advances.
   */
  Iterator<S3Object> list(String startAfter) {
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder().bucket(location.bucket()).prefix(location.prefix());
    if (startAfter != null) {
      request.startAfter(location.prefix() + startAfter);
    }
    Iterator<S3Object> objects =
        client.listObjectsV2Paginator(request.build()).contents().iterator();
    return new Iterator<>() {
      private S3Object next = advance();

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public S3Object next() {
        S3Object current = next;
        next = advance();
        return current;
      }

      private S3Object advance() {
        try {
          while (objects.hasNext()) {
            S3Object object = objects.next();
            if (!object.key().endsWith("/")) {
              return object;
            }
          }
          return null;
        } catch (SdkException e) {
          throw failure("cannot list s3://" + location.bucket() + "/" + location.prefix(), e);
        }
      }
    };
  }

  /** The item under {@code key} with the ETag of the bytes read, or empty when it is gone. */
  Optional<S3ItemSession.Read> read(String key) {
    try {
      var response =
          client.getObjectAsBytes(
              GetObjectRequest.builder().bucket(location.bucket()).key(objectKey(key)).build());
      return Optional.of(
          new S3ItemSession.Read(
              new StoredItem(key, response.asByteArray()), response.response().eTag()));
    } catch (NoSuchKeyException gone) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("cannot read " + key, e);
    }
  }

  String key(S3Object object) {
    return object.key().substring(location.prefix().length());
  }

  String objectKey(String key) {
    return location.prefix() + key;
  }

  S3Client client() {
    return client;
  }

  S3Location location() {
    return location;
  }

  DataStoreException failure(String what, SdkException cause) {
    String status = cause instanceof S3Exception s3 ? " (HTTP " + s3.statusCode() + ")" : "";
    return new DataStoreException("data set " + dataSet + ": " + what + status, cause);
  }
}
