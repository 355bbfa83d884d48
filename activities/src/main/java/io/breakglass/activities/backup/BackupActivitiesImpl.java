package io.breakglass.activities.backup;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.data.s3.S3Endpoint;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.BackupActivities;
import io.breakglass.workflows.messages.values.DataSetType;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BackupActivities}: encrypted, checksummed, sample-verified backups under {@code
 * <backups>/<rotationId>/<dataSet>.bgbak} (see {@link BackupManifest} and {@link
 * io.breakglass.activities.crypto.StreamingEnvelope}), kept there or uploaded to S3 (see {@link
 * S3BackupCopies}), and the restore of items that no longer decrypt. Both stream and heartbeat the
 * running item count. Thread-safe: one instance serves every activity task of the worker.
 */
public final class BackupActivitiesImpl implements BackupActivities {

  private static final Logger LOG = LoggerFactory.getLogger(BackupActivitiesImpl.class);

  private final BackupConfig config;
  private final ProtectedDataSets dataSets;
  private final Map<String, DataSource> databases;
  private final Supplier<? extends Keyring> dataKeys;
  private final Supplier<? extends BackupKeys> backupKeySource;

  /** Where verified backups are kept when {@code config.s3()} is set; null otherwise. */
  private final S3BackupCopies s3;

  /**
   * Keyrings are taken once per activity execution, so a key revoked meanwhile is never used.
   *
   * @param config where backups go and how large the verification sample is
   * @param dataSets the configured data sets
   * @param databases data sources by the database names data sets refer to
   * @param dataKeys decrypts data items (sample verification, restore decisions, final scan)
   * @param backupKeys encrypts and decrypts the backups themselves
   */
  public BackupActivitiesImpl(
      BackupConfig config,
      ProtectedDataSets dataSets,
      Map<String, DataSource> databases,
      Supplier<? extends Keyring> dataKeys,
      Supplier<? extends BackupKeys> backupKeys) {
    this(config, dataSets, databases, dataKeys, backupKeys, null);
  }

  /**
   * Backups kept in S3 when {@code config.s3()} is set, with {@code config.directory()} as their
   * spool.
   *
   * @param aws the S3 endpoint settings (null: the SDK's defaults)
   */
  public BackupActivitiesImpl(
      BackupConfig config,
      ProtectedDataSets dataSets,
      Map<String, DataSource> databases,
      Supplier<? extends Keyring> dataKeys,
      Supplier<? extends BackupKeys> backupKeys,
      AwsConfig aws) {
    this.config = config;
    this.dataSets = dataSets;
    this.databases = Map.copyOf(databases);
    this.dataKeys = dataKeys;
    this.backupKeySource = backupKeys;
    this.s3 = config.s3() == null ? null : new S3BackupCopies(S3Endpoint.client(aws), config.s3());
  }

  @Override
  public BackupRecord backup(BackupRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ProtectedDataSet dataSet = dataSets.get(request.dataSet());
    BackupLocation location =
        location(BackupLocation.backupId(request.rotationId(), request.dataSet()));
    BackupKeys backupKeys = backupKeySource.get();
    if (backupKeys.current().secret().equals(dataSet.secret())) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "data set "
              + dataSet.name()
              + " would be backed up under its own secret "
              + dataSet.secret()
              + "; backups need a key of their own");
    }
    try {
      BackupRecord record =
          new DataSetBackup(config, backupKeys)
              .run(
                  dataSet, location, format(dataSet, location, dataKeys.get()), context::heartbeat);
      if (s3 != null) {
        s3.upload(location);
        record =
            new BackupRecord(
                record.dataSet(),
                record.backupId(),
                s3.address(location),
                record.items(),
                record.bytes(),
                record.sha256(),
                record.sampleVerified());
      }
      if (config.databaseDump() != null && dataSet.config().type() == DataSetType.POSTGRES_COLUMN) {
        record =
            record.withDatabaseDump(
                dumpDatabase(request.rotationId(), dataSet, backupKeys, context));
      }
      LOG.info(
          "backup {}: {} items, {} bytes, sha256 {}, {} sample items restored and decrypted, kept at {}",
          record.backupId(),
          record.items(),
          record.bytes(),
          record.sha256(),
          record.sampleVerified(),
          record.location());
      return record;
    } catch (SampleNotVerifiedException | UnusableBackupException e) {
      throw RotationErrors.BACKUP_FAILED.failure(
          "backup " + location.backupId() + ": " + e.getMessage());
    } catch (EnvelopeException e) {
      // The backup key is missing from its keyring, or the file just written does not read back.
      throw RotationErrors.BACKUP_FAILED.failure(
          "backup "
              + location.backupId()
              + " under backup key "
              + backupKeys.current()
              + ": "
              + e.getMessage());
    } catch (DataStoreException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(e.getMessage());
    } catch (IOException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(
          "backup " + location.backupId() + ": cannot write it (" + describe(e) + ")");
    } catch (SQLException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(
          "backup "
              + location.backupId()
              + ": the database dump cannot reach its database (SQL state "
              + e.getSQLState()
              + ")");
    }
  }

  /**
   * The whole-database dump of the data set's database, verified by a restore into a scratch
   * database; or why it was not taken, when {@code pg_dump} is not on this worker. Kept beside the
   * data set's backup in {@code directory}, also when backups go to S3.
   */
  private String dumpDatabase(
      String rotationId,
      ProtectedDataSet dataSet,
      BackupKeys backupKeys,
      ActivityExecutionContext context)
      throws IOException, SQLException {
    String database = dataSet.config().database();
    Optional<PgTools> tools = PgTools.find(config.databaseDump());
    if (tools.isEmpty()) {
      return "whole-database dump of "
          + database
          + " not taken: "
          + PgTools.missing(config.databaseDump());
    }
    String dumpId = rotationId + "/" + dataSet.name() + ".pgdump";
    BackupLocation location = location(dumpId);
    String passwordEnv = config.databaseDump().passwordEnv();
    PgServer server =
        PgServer.of(database(dataSet), passwordEnv == null ? null : System.getenv(passwordEnv));
    DatabaseDump dump = new DatabaseDump(tools.get(), backupKeys);
    DatabaseDump.Written written =
        dump.dump(
            server,
            List.of(dataSet.config().table()),
            location.file(),
            location.associatedData(),
            context::heartbeat);
    dump.verify(
        server, scratchDatabase(dumpId), written, location.associatedData(), context::heartbeat);
    return "whole-database dump of "
        + database
        + " (pg_dump custom format, encrypted under "
        + backupKeys.current()
        + ") at "
        + written.file()
        + ": "
        + written.bytes()
        + " bytes, sha256 "
        + written.sha256()
        + ", restored into a scratch database with matching row counts "
        + written.rowCounts();
  }

  /** A scratch database name unique to the dump: at most 63 bytes, plain letters and digits. */
  private static String scratchDatabase(String dumpId) {
    MessageDigest digest = Sha256.digest();
    digest.update(dumpId.getBytes(StandardCharsets.UTF_8));
    return "breakglass_verify_" + Sha256.hex(digest).substring(0, 16);
  }

  @Override
  public RestoreResult restoreUndecryptable(RestoreRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ProtectedDataSet dataSet = dataSets.get(request.dataSet());
    BackupLocation location = location(request.backupId());
    Keyring keyring = dataKeys.get();
    try {
      if (s3 != null) {
        s3.download(location);
      }
      RestoreResult result =
          new DataSetRestore(backupKeySource.get(), keyring)
              .run(dataSet, location, format(dataSet, location, keyring), context::heartbeat);
      LOG.info(
          "restore of {} from backup {}: {} items put back, {} still undecryptable",
          dataSet.name(),
          location.backupId(),
          result.restored(),
          result.stillUndecryptable());
      return result;
    } catch (UnusableBackupException e) {
      throw RotationErrors.RESTORE_FAILED.failure(e.getMessage());
    } catch (EnvelopeException e) {
      throw RotationErrors.RESTORE_FAILED.failure(
          "backup " + location.backupId() + " does not decrypt: " + e.getMessage());
    } catch (DataStoreException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(e.getMessage());
    } catch (IOException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(
          "backup " + location.backupId() + ": cannot read it (" + describe(e) + ")");
    }
  }

  private BackupLocation location(String backupId) {
    try {
      return BackupLocation.of(config.directory(), backupId);
    } catch (IllegalArgumentException e) {
      throw RotationErrors.INVALID_REQUEST.failure(e.getMessage());
    }
  }

  private SnapshotFormat format(
      ProtectedDataSet dataSet, BackupLocation location, Keyring keyring) {
    return switch (dataSet.config().type()) {
      case POSTGRES_COLUMN -> new TableSnapshot(dataSet, database(dataSet), keyring);
      case ARTIFACT_DIRECTORY, S3_OBJECTS ->
          new ArtifactSnapshot(dataSet, keyring, location.folder());
    };
  }

  private DataSource database(ProtectedDataSet dataSet) {
    DataSource database = databases.get(dataSet.config().database());
    if (database == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "data set "
              + dataSet.name()
              + " names database "
              + dataSet.config().database()
              + ", which is not configured");
    }
    return database;
  }

  /** An I/O error's type and path or reason: never content. */
  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
