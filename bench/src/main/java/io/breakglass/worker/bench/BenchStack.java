package io.breakglass.worker.bench;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the bench runs on, all real and on loopback: embedded PostgreSQL (the protected {@code
 * clinic} database and Breakglass's own), the local encrypted secret store, and the artifact
 * folder, in one data folder that is deleted on close when the bench created it.
 */
final class BenchStack implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DevLayout layout;
  private final boolean temporary;
  private final RotationSettings settings;
  private final EmbeddedDatabase database;
  private final DataSource app;
  private final Jdbi breakglass;
  private final SecretStore store;
  private final ProtectedDataSets dataSets;

  private BenchStack(DevLayout layout, boolean temporary, BenchOptions options) {
    this.layout = layout;
    this.temporary = temporary;
    this.settings = BenchSettings.create(layout, options);
    try {
      Files.createDirectories(layout.artifacts());
      Files.createDirectories(layout.backups());
      if (!isEmpty(layout.artifacts())) {
        throw new IllegalArgumentException(
            "the data folder " + layout.root() + " was used before: give an empty or new folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + layout.root(), e);
    }
    database = EmbeddedDatabase.start(layout.postgres());
    database.ensureDatabase(DevSettings.APP_DATABASE);
    database.ensureDatabase(DevSettings.BREAKGLASS_DATABASE);
    app = dataSource(DevSettings.APP_DATABASE);
    DataSource own = dataSource(DevSettings.BREAKGLASS_DATABASE);
    BreakglassSchema.migrate(own);
    breakglass = Jdbi.create(own);
    MasterKey.createFile(layout.masterKey());
    store = SecretStores.open(settings);
    FirstVersion.ensure(store, DevSettings.PAYLOAD_KEY, BenchStack::dataKey);
    FirstVersion.ensure(store, DevSettings.ARTIFACT_KEY, BenchStack::dataKey);
    // The stores check the table exists: it must before the data sets are built.
    SnapshotRows.createTable(app);
    dataSets = new ProtectedDataSets(settings, Map.of(DevSettings.APP_DATABASE, app));
  }

  /** Starts on {@code options.data()}, or on a fresh temporary folder deleted by {@link #close}. */
  static BenchStack start(BenchOptions options) {
    try {
      boolean temporary = options.data() == null;
      Path root =
          temporary
              ? Files.createTempDirectory("breakglass-bench-")
              : options.data().toAbsolutePath().normalize();
      return new BenchStack(new DevLayout(root), temporary, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data folder", e);
    }
  }

  DevLayout layout() {
    return layout;
  }

  RotationSettings settings() {
    return settings;
  }

  SecretStore store() {
    return store;
  }

  /** The protected application's database. */
  DataSource app() {
    return app;
  }

  /** Breakglass's own database (timeline, audit), migrated. */
  Jdbi breakglass() {
    return breakglass;
  }

  ProtectedDataSet dataSet(String name) {
    return dataSets.get(name);
  }

  /** The key id new writes of {@code secret} use now. */
  KeyId currentKey(String secret) {
    return new KeyId(
        secret, store.describe(secret).labelled(Label.CURRENT).orElseThrow().versionId());
  }

  /**
   * A new random version of {@code secret}, made CURRENT (the old one becomes PREVIOUS): the target
   * of a run that calls the re-encryption directly, as PROMOTE would leave it.
   */
  KeyId freshVersion(String secret) {
    String versionId = "bench-" + UUID.randomUUID();
    byte[] material = dataKey();
    try {
      store.createPending(secret, versionId, material, Map.of("rotationId", "bench"));
    } finally {
      Arrays.fill(material, (byte) 0);
    }
    store.moveCurrent(secret, versionId);
    return new KeyId(secret, versionId);
  }

  @Override
  public void close() {
    database.close();
    if (temporary) {
      delete(layout.root());
    }
  }

  private DataSource dataSource(String name) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(database.jdbcUrl(name));
    return dataSource;
  }

  private static byte[] dataKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (var entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void delete(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary data folder " + root, e);
    }
  }
}
