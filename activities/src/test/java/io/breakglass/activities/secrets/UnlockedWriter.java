package io.breakglass.activities.secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * The negative control of the multi-process test: the store's read-modify-write (same format, same
 * rules, same atomic rename) without {@link StoreLock}. Two of these on one file lose updates,
 * which proves the test can see a missing lock. Each instance uses its own temp file, so the only
 * thing missing is the lock.
 */
final class UnlockedWriter {

  private final Path file;
  private final StoreFileFormat format;
  private final Path temp;

  UnlockedWriter(Path file, MasterKey key) {
    this.file = file;
    this.format = new StoreFileFormat(key, file);
    long pid = ProcessHandle.current().pid();
    this.temp = file.resolveSibling(file.getFileName() + "." + pid + ".tmp");
  }

  void createAndPromote(String secret, String versionId, byte[] value, Runnable beforeRename)
      throws Exception {
    StoreContents contents =
        Files.exists(file) ? format.open(Files.readAllBytes(file)) : new StoreContents();
    StoredSecret stored = contents.secretOrCreate(secret);
    stored.createPending(versionId, value, Map.of(), Instant.now());
    stored.moveCurrent(versionId);
    Files.write(temp, format.seal(contents.toJson()));
    beforeRename.run();
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
