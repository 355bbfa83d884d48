package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.SecretKey;

/**
 * The bench's chart artifacts: binary envelopes of random synthetic content, each bound to its path
 * relative to the folder, in one sub-folder per synthetic patient.
 */
final class ChartFiles {

  /** Artifacts per patient folder. */
  static final int PER_FOLDER = 20;

  private ChartFiles() {}

  /** Writes {@code count} artifacts under {@code key}, each synced so no run pays for the load. */
  static void seed(Path root, int count, int bytes, KeyId key, Keyring keyring) {
    BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();
    EnvelopeCipher cipher = new EnvelopeCipher();
    SecretKey secretKey = keyring.key(key);
    Random random = new Random(20261128L);
    byte[] plaintext = new byte[bytes];
    try {
      for (int i = 1; i <= count; i++) {
        String folder = SnapshotRows.patientRef((i - 1) / PER_FOLDER);
        String relative = folder + "/chart-" + String.format("%07d", i) + ".pdf";
        random.nextBytes(plaintext);
        byte[] stored =
            codec.encode(
                cipher.encrypt(
                    key, secretKey, plaintext, relative.getBytes(StandardCharsets.UTF_8)));
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(stored);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seed artifacts in " + root, e);
    }
  }

  /** Every artifact (not our hidden temporary files), by relative path in name order. */
  static List<String> list(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(root::relativize)
          .filter(relative -> !relative.getFileName().toString().startsWith("."))
          .map(relative -> relative.toString().replace(root.getFileSystem().getSeparator(), "/"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }
}
