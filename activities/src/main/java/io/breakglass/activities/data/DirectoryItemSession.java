package io.breakglass.activities.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One shard of an {@link ArtifactDirectoryStore}. A conditional write goes to a hidden temporary
 * file in the same folder, is fsynced, and replaces the artifact by an atomic rename only if the
 * artifact still holds the bytes that were read. POSIX has no compare-and-rename, so a write that
 * lands between that comparison and the rename (microseconds) would be overwritten; the
 * application's own writes are atomic renames too, so a reader never sees a torn file.
 */
final class DirectoryItemSession implements ItemSession {

  private final ArtifactDirectoryStore store;
  private final List<String> keys;
  private int position;

  DirectoryItemSession(ArtifactDirectoryStore store, List<String> keys) {
    this.store = store;
    this.keys = keys;
  }

  @Override
  public long remaining() {
    return keys.size() - position;
  }

  @Override
  public List<StoredItem> next(int max) {
    List<StoredItem> items = new ArrayList<>();
    while (items.size() < max && position < keys.size()) {
      store.read(keys.get(position++)).ifPresent(items::add);
    }
    return items;
  }

  @Override
  public List<StoredItem> read(Collection<String> wanted) {
    List<StoredItem> items = new ArrayList<>();
    for (String key : wanted) {
      store.read(key).ifPresent(items::add);
    }
    return items;
  }

  @Override
  public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
    Set<String> written = new HashSet<>();
    Set<Path> folders = new LinkedHashSet<>();
    for (Rewrite rewrite : rewrites) {
      Path target = store.path(rewrite.key());
      Path temporary = target.resolveSibling(".breakglass-" + UUID.randomUUID() + ".tmp");
      try {
        writeDurably(temporary, rewrite.replacement());
        byte[] current = store.read(rewrite.key()).map(StoredItem::value).orElse(null);
        if (current != null && Arrays.equals(current, rewrite.expected())) {
          Files.move(
              temporary,
              target,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          written.add(rewrite.key());
          folders.add(target.getParent());
        } else {
          Files.delete(temporary);
        }
      } catch (IOException e) {
        deleteQuietly(temporary);
        throw store.failure("cannot rewrite " + rewrite.key(), e);
      }
    }
    for (Path folder : folders) {
      syncFolder(folder);
    }
    return written;
  }

  @Override
  public void close() {
    // nothing held open between calls
  }

  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Makes the renames in {@code folder} durable. */
  private void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw store.failure("cannot sync folder " + folder.getFileName(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover hidden temp file is not an item and is replaced by the next attempt
    }
  }
}
