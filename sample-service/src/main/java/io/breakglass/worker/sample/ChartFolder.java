package io.breakglass.worker.sample;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.KeyId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Chart artifacts as the {@code chart-artifacts} data set holds them: one binary envelope v1 per
 * file, at {@code p-<first 16 hex of the patient hash>/chart-<uuid>.pdf}, bound to that relative
 * path (associated data OBJECT_PATH). Files are written to a dot-file (not an item) and renamed
 * into place, as Breakglass's own re-encryption does, so a reader never sees half a chart.
 * Thread-safe.
 */
final class ChartFolder {

  private final Path root;
  private final BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();

  ChartFolder(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the chart folder " + root, e);
    }
  }

  /** A new artifact name for a patient's chart. */
  static String newArtifact(String patientHash) {
    return "p-" + patientHash.substring(0, 16) + "/chart-" + UUID.randomUUID() + ".pdf";
  }

  /** Encrypts {@code chart} under {@code key} and stores it as {@code artifact}. */
  void write(String artifact, byte[] chart, KeyId keyId, ServiceKeyring keyring) {
    Envelope envelope =
        new EnvelopeCipher().encrypt(keyId, keyring.key(keyId), chart, binding(artifact));
    Path file = path(artifact);
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.write(temporary, codec.encode(envelope));
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store artifact " + artifact, e);
    }
  }

  /** The stored envelope of {@code artifact}, or empty when there is none. */
  Optional<Envelope> read(String artifact) {
    try {
      return Optional.of(codec.decode(Files.readAllBytes(path(artifact))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read artifact " + artifact, e);
    }
  }

  /** Decrypts a stored chart with whichever version of the keyring its envelope names. */
  byte[] decrypt(String artifact, Envelope envelope, ServiceKeyring keyring) {
    return new EnvelopeCipher().decrypt(envelope, keyring, binding(artifact));
  }

  /**
   * The file of {@code artifact}.
   *
   * @throws IllegalArgumentException for names outside the folder or naming a hidden file
   */
  private Path path(String artifact) {
    Path path = root.resolve(artifact).normalize();
    if (!path.startsWith(root)
        || path.equals(root)
        || path.getFileName().toString().startsWith(".")) {
      throw new IllegalArgumentException("not an artifact name: " + artifact);
    }
    return path;
  }

  private static byte[] binding(String artifact) {
    return artifact.getBytes(StandardCharsets.UTF_8);
  }
}
