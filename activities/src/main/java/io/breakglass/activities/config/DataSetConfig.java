package io.breakglass.activities.config;

import io.breakglass.workflows.messages.values.DataSetType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A protected data set: where its items live, which secret encrypts them, and how its re-encryption
 * is split. Fields of the other type stay empty.
 *
 * @param name a short name, e.g. {@code ai-snapshots}
 * @param secret the secret whose key encrypts it
 * @param type a PostgreSQL column or an artifact directory
 * @param database for a column: the name of the database in {@code databases}
 * @param table for a column: the table, optionally schema-qualified
 * @param idColumn for a column: the bigint primary key (keyset pagination and sharding)
 * @param column for a column: the column holding envelopes
 * @param format for a column: JSON ({@code jsonb}/{@code text}) or BINARY ({@code bytea})
 * @param directory for artifacts: the root folder
 * @param associatedData what ciphertexts are bound to
 * @param shardSize items per shard (default 20,000: each shard opens its own connection and runs as
 *     its own activity, which costs about as much as re-encrypting a few hundred rows; a retried
 *     shard resumes from its checkpoint, so a large one loses no more work)
 * @param batchSize items per batch, one transaction each (default 500)
 * @param concurrency shards of this data set that may run at once (default 2)
 * @param itemsPerSecond a ceiling on re-encryption speed, shared by its running shards, so a
 *     production database is not flattened (default 0: none)
 * @param heartbeatTimeout how soon a shard on a dead worker is retried elsewhere (default 20 s); a
 *     retry redoes at most the work since the last heartbeat, which lags by up to 0.8 of this
 * @param s3 for S3 objects: the bucket and key prefix
 * @param profile how items are written: Breakglass's envelope v1 (the default) or the application's
 *     own JSON envelope, read and written in that form
 */
public record DataSetConfig(
    @NotBlank String name,
    @NotBlank String secret,
    @NotNull DataSetType type,
    String database,
    String table,
    String idColumn,
    String column,
    EnvelopeFormat format,
    Path directory,
    @NotNull AssociatedDataMode associatedData,
    @Min(1) int shardSize,
    @Min(1) int batchSize,
    @Min(1) int concurrency,
    @Min(0) int itemsPerSecond,
    Duration heartbeatTimeout,
    @Valid S3Location s3,
    FormatProfile profile) {

  public static final int DEFAULT_SHARD_SIZE = 20_000;
  public static final int DEFAULT_BATCH_SIZE = 500;

  public DataSetConfig {
    idColumn = idColumn == null ? "id" : idColumn;
    format = format == null ? EnvelopeFormat.JSON : format;
    shardSize = shardSize == 0 ? DEFAULT_SHARD_SIZE : shardSize;
    batchSize = batchSize == 0 ? DEFAULT_BATCH_SIZE : batchSize;
    concurrency = concurrency == 0 ? 2 : concurrency;
    heartbeatTimeout = heartbeatTimeout == null ? Duration.ofSeconds(20) : heartbeatTimeout;
    profile = profile == null ? FormatProfile.BREAKGLASS_V1 : profile;
  }

  /** A data set in envelope v1. */
  public DataSetConfig(
      String name,
      String secret,
      DataSetType type,
      String database,
      String table,
      String idColumn,
      String column,
      EnvelopeFormat format,
      Path directory,
      AssociatedDataMode associatedData,
      int shardSize,
      int batchSize,
      int concurrency,
      int itemsPerSecond,
      Duration heartbeatTimeout,
      S3Location s3) {
    this(
        name,
        secret,
        type,
        database,
        table,
        idColumn,
        column,
        format,
        directory,
        associatedData,
        shardSize,
        batchSize,
        concurrency,
        itemsPerSecond,
        heartbeatTimeout,
        s3,
        null);
  }

  /** A table or folder data set (no S3 location). */
  public DataSetConfig(
      String name,
      String secret,
      DataSetType type,
      String database,
      String table,
      String idColumn,
      String column,
      EnvelopeFormat format,
      Path directory,
      AssociatedDataMode associatedData,
      int shardSize,
      int batchSize,
      int concurrency,
      int itemsPerSecond,
      Duration heartbeatTimeout) {
    this(
        name,
        secret,
        type,
        database,
        table,
        idColumn,
        column,
        format,
        directory,
        associatedData,
        shardSize,
        batchSize,
        concurrency,
        itemsPerSecond,
        heartbeatTimeout,
        null,
        null);
  }

  /** This data set with its items in {@code profile}. */
  public DataSetConfig withProfile(FormatProfile profile) {
    return new DataSetConfig(
        name,
        secret,
        type,
        database,
        table,
        idColumn,
        column,
        format,
        directory,
        associatedData,
        shardSize,
        batchSize,
        concurrency,
        itemsPerSecond,
        heartbeatTimeout,
        s3,
        profile);
  }
}
