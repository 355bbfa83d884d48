package io.breakglass.activities.secrets;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * The development secret store: every secret in one file, a JSON document encrypted under a {@link
 * MasterKey} (see {@link StoreFileFormat}). Safe for many threads and many processes on one file:
 * every change is a read-modify-write under {@link StoreLock}, written through {@link AtomicFile},
 * so a reader (which takes no lock) sees the state before or after a change, and a writer killed at
 * any moment leaves the previous state intact. A change that changes nothing does not rewrite the
 * file.
 *
 * <p>Implements every rule of {@link SecretStore}; errors name the secret and version id, never
 * material.
 */
public final class LocalSecretStore implements SecretStore {

  private final Path file;
  private final StoreFileFormat format;
  private final AtomicFile atomicFile;
  private final StoreLock lock;
  private final Clock clock;

  /** A store on {@code file} (created on the first write) encrypted under {@code masterKey}. */
  public LocalSecretStore(Path file, MasterKey masterKey) {
    this(file, masterKey, Clock.systemUTC(), () -> {});
  }

  /**
   * The store the configuration names, with the master key from the real environment; refused when
   * the file belongs to another host ({@link StoreOwner}).
   */
  public static LocalSecretStore open(LocalSecretStoreConfig config) {
    StoreOwner.claim(config.path(), StoreOwner.thisHost());
    return new LocalSecretStore(config.path(), MasterKey.load(config));
  }

  /** For tests: a fixed clock, and a hook run between the fsynced temp file and the rename. */
  LocalSecretStore(Path file, MasterKey masterKey, Clock clock, Runnable beforeRename) {
    this.file = file;
    this.format = new StoreFileFormat(masterKey, file);
    this.atomicFile = new AtomicFile(file, beforeRename);
    this.lock = new StoreLock(file);
    this.clock = clock;
  }

  @Override
  public SecretState describe(String secret) {
    return read().secret(secret).state();
  }

  @Override
  public byte[] material(String secret, String versionId) {
    return read().secret(secret).version(versionId).material();
  }

  @Override
  public SecretVersion createPending(
      String secret, String versionId, byte[] value, Map<String, String> metadata) {
    requireSecretName(secret);
    requireName(versionId, "a version id of " + secret);
    if (value == null || value.length == 0) {
      throw new SecretStoreException(
          RotationErrors.INVALID_REQUEST,
          "version " + versionId + " of " + secret + " needs a non-empty value");
    }
    Map<String, String> given = metadata == null ? Map.of() : metadata;
    return update(
        contents ->
            contents
                .secretOrCreate(secret)
                .createPending(versionId, value, given, clock.instant())
                .view());
  }

  @Override
  public void annotate(String secret, String versionId, Map<String, String> metadata) {
    update(
        contents -> {
          contents.secret(secret).annotate(versionId, metadata);
          return null;
        });
  }

  @Override
  public void moveCurrent(String secret, String versionId) {
    update(
        contents -> {
          contents.secret(secret).moveCurrent(versionId);
          return null;
        });
  }

  @Override
  public void restoreLabels(String secret, String currentVersionId, String previousVersionId) {
    requireName(currentVersionId, "the version to make CURRENT again of " + secret);
    update(
        contents -> {
          contents.secret(secret).restoreLabels(currentVersionId, previousVersionId);
          return null;
        });
  }

  @Override
  public void discard(String secret, String versionId) {
    update(
        contents -> {
          contents.find(secret).ifPresent(s -> s.discard(versionId, clock.instant()));
          return null;
        });
  }

  @Override
  public void revoke(String secret, String versionId, String rotationId) {
    update(
        contents -> {
          contents.secret(secret).revoke(versionId, rotationId, clock.instant());
          return null;
        });
  }

  @Override
  public void unrevoke(String secret, String versionId, String rotationId) {
    requireName(rotationId, "the rotation that revoked version " + versionId + " of " + secret);
    update(
        contents -> {
          contents.secret(secret).unrevoke(versionId, rotationId, clock.instant());
          return null;
        });
  }

  @Override
  public void stage(String secret, byte[] value) {
    requireSecretName(secret);
    if (value == null || value.length == 0) {
      throw new SecretStoreException(
          RotationErrors.INVALID_REQUEST, "the staged value of " + secret + " is empty");
    }
    update(
        contents -> {
          contents.stage(secret, value);
          return null;
        });
  }

  @Override
  public byte[] staged(String secret) {
    return read().staged(secret);
  }

  @Override
  public void clearStaged(String secret) {
    update(
        contents -> {
          contents.clearStaged(secret);
          return null;
        });
  }

  @Override
  public String toString() {
    return "LocalSecretStore(" + file + ")";
  }

  /** The whole file, without the lock: an atomic rename means it is the old or the new state. */
  private StoreContents read() {
    try {
      return contents();
    } catch (IOException e) {
      throw unavailable("cannot read", e);
    }
  }

  private StoreContents contents() throws IOException {
    byte[] bytes = atomicFile.read();
    return bytes == null ? new StoreContents() : format.open(bytes);
  }

  private <T> T update(Function<StoreContents, T> change) {
    try {
      return lock.holding(
          () -> {
            StoreContents contents = contents();
            byte[] before = contents.toJson();
            byte[] after = null;
            try {
              T result = change.apply(contents);
              after = contents.toJson();
              if (!Arrays.equals(before, after)) {
                atomicFile.write(format.seal(after));
              }
              return result;
            } finally {
              Arrays.fill(before, (byte) 0);
              if (after != null) {
                Arrays.fill(after, (byte) 0);
              }
            }
          });
    } catch (IOException e) {
      throw unavailable("cannot update", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for the lock of", e);
    }
  }

  private SecretStoreException unavailable(String what, Exception cause) {
    // IOException messages name paths and system errors, never content.
    return new SecretStoreException(
        RotationErrors.SECRET_STORE_UNAVAILABLE, what + " local secret store " + file, cause);
  }

  // Key ids are "<secret>:<versionId>", split at the first colon.
  private static void requireSecretName(String secret) {
    requireName(secret, "a secret name");
    if (secret.indexOf(':') >= 0) {
      throw new SecretStoreException(
          RotationErrors.INVALID_REQUEST, "secret name " + secret + " contains ':'");
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new SecretStoreException(RotationErrors.INVALID_REQUEST, what + " is missing");
    }
  }
}
