package io.breakglass.activities.deploy;

import io.breakglass.workflows.messages.values.KeyringSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A keyring published as a {@link KeyringDocument} file a workload reads at start. Written
 * atomically. Public so that a workload (the sample service) reads exactly what the targets
 * publish.
 */
public final class KeyringFile {

  private final Path file;

  public KeyringFile(Path file) {
    this.file = file;
  }

  /** The published keyring; no entries when nothing was published yet. */
  public KeyringSpec read(String deployment) {
    return KeyringDocument.parse(deployment, bytes());
  }

  void merge(KeyringSpec change) {
    byte[] merged = KeyringDocument.merged(bytes(), change);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.write(temporary, merged);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write keyring file " + file, e);
    }
  }

  private byte[] bytes() {
    try {
      return Files.exists(file) ? Files.readAllBytes(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keyring file " + file, e);
    }
  }
}
