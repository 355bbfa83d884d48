package io.breakglass.worker.crash;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The files' counterpart of {@link UpdateLog}: every time an artifact appears under its name in a
 * folder, whichever process put it there. A rewrite is a temporary file renamed over the artifact,
 * which the kernel reports (inotify) as the artifact's name created; the temporary files are hidden
 * and not counted. So a file re-encrypted twice shows two writes, even when the second left it as
 * the first did. Watches the folders that exist when it starts.
 */
final class ArtifactWriteLog implements AutoCloseable {

  /** How long no event must arrive before the log counts as settled. */
  private static final Duration QUIET = Duration.ofMillis(500);

  private final Path folder;
  private final WatchService watcher;
  private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
  private final Map<String, Integer> writes = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile long lastEventNanos = System.nanoTime();
  private volatile boolean overflowed;

  private ArtifactWriteLog(Path folder) throws IOException {
    this.folder = folder;
    this.watcher = FileSystems.getDefault().newWatchService();
    try (Stream<Path> tree = Files.walk(folder)) {
      for (Path each : tree.filter(Files::isDirectory).toList()) {
        folders.put(each.register(watcher, ENTRY_CREATE), each);
      }
    }
    this.thread = new Thread(this::collect, "artifact-write-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts logging the writes to the files under {@code folder}. */
  static ArtifactWriteLog watch(Path folder) {
    try {
      return new ArtifactWriteLog(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + folder, e);
    }
  }

  private void collect() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        Path parent = folders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
          lastEventNanos = System.nanoTime();
          if (event.kind() == OVERFLOW) {
            overflowed = true;
          } else if (!event.context().toString().startsWith(".")) {
            Path file = parent.resolve((Path) event.context());
            writes.merge(folder.relativize(file).toString(), 1, Integer::sum);
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  /**
   * Writes per file (its path relative to the folder), once no event arrived for {@link #QUIET}:
   * the kernel reports a rename a moment after it happened.
   */
  Map<String, Integer> writes() {
    await("no file event for " + QUIET)
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> System.nanoTime() - lastEventNanos >= QUIET.toNanos());
    if (overflowed) {
      throw new IllegalStateException(
          "the kernel dropped file events under " + folder + ": the count is incomplete");
    }
    return new TreeMap<>(writes);
  }

  /** The files written more than once. */
  Set<String> filesWrittenMoreThanOnce() throws InterruptedException {
    Set<String> twice = new TreeSet<>();
    writes()
        .forEach(
            (file, count) -> {
              if (count > 1) {
                twice.add(file);
              }
            });
    return twice;
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    thread.interrupt();
  }
}
