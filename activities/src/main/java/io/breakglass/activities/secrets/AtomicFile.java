package io.breakglass.activities.secrets;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file whose content is replaced all at once: a reader sees the old bytes or the new ones, never
 * a mix, even when the writer dies half-way. The new content goes to {@code <name>.tmp} in the same
 * directory, is fsynced, renamed over the file, and the directory is fsynced so the rename itself
 * survives a power cut. One writer at a time: callers serialize writes ({@link LocalSecretStore}
 * holds its {@link StoreLock}), since every write uses the same temp file.
 */
final class AtomicFile {

  static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final FileAttribute<Set<PosixFilePermission>> CREATE_OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY);

  private final Path file;
  private final Path temp;
  private final Runnable beforeRename;

  /**
   * @param file the file replaced on each write
   * @param beforeRename runs after the temp file is fsynced and before it is renamed; tests use it
   *     to kill a writer at the worst moment
   */
  AtomicFile(Path file, Runnable beforeRename) {
    this.file = file;
    this.temp = file.resolveSibling(file.getFileName() + ".tmp");
    this.beforeRename = beforeRename;
  }

  /** The whole content, or null when the file does not exist yet. */
  byte[] read() throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Replaces the content with {@code content}; the file is readable by its owner only. */
  void write(byte[] content) throws IOException {
    // A writer killed before its rename leaves the temp file behind; it holds nothing we need.
    Files.deleteIfExists(temp);
    try (FileChannel channel =
        FileChannel.open(temp, EnumSet.of(CREATE_NEW, WRITE), CREATE_OWNER_ONLY)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    beforeRename.run();
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), READ)) {
      directory.force(true);
    }
  }
}
