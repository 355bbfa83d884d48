package io.breakglass.activities.secrets;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer at a time for a store file, across processes and across threads of this JVM. The
 * process lock is an exclusive {@link FileChannel#lock()} on the sibling file {@code <store>.lock}
 * (the OS drops it when a process dies, so a killed writer never leaves the store locked). A file
 * lock belongs to the whole JVM, so a second thread asking for it would get an {@code
 * OverlappingFileLockException} instead of waiting: threads first queue on an in-JVM lock shared by
 * every store instance on the same file.
 */
final class StoreLock {

  /** The action run while the lock is held. */
  interface Action<T> {
    T run() throws IOException;
  }

  // Keyed by the lock file, so two store instances on one file share it.
  private static final ConcurrentMap<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();

  private final Path lockFile;
  private final ReentrantLock threads;

  StoreLock(Path storeFile) {
    Path absolute = storeFile.toAbsolutePath().normalize();
    this.lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
    this.threads = THREADS.computeIfAbsent(lockFile, key -> new ReentrantLock());
  }

  /** Runs {@code action} holding both locks; waits as long as another writer holds them. */
  <T> T holding(Action<T> action) throws IOException, InterruptedException {
    threads.lockInterruptibly();
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel =
          FileChannel.open(
              lockFile,
              EnumSet.of(CREATE, WRITE),
              PosixFilePermissions.asFileAttribute(AtomicFile.OWNER_ONLY))) {
        channel.lock(); // released when the channel closes
        return action.run();
      }
    } finally {
      threads.unlock();
    }
  }
}
