package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The yardstick for files: a hand-written loop with the durability every rewrite needs and nothing
 * more. Each thread takes a contiguous part of the sorted names; per artifact: read, decrypt,
 * encrypt, write a hidden temporary file beside it, fsync it, rename it over the artifact; per
 * batch, fsync each folder it renamed in. It does not re-check the artifact before the rename.
 */
final class FileLoop {

  private FileLoop() {}

  /** Moves every artifact under {@code root} to {@code target}; returns artifacts rewritten. */
  static long run(Path root, Keyring keyring, KeyId target, int batch, int threads) {
    List<String> keys = ChartFiles.list(root);
    int part = (keys.size() + threads - 1) / threads;
    List<LongSupplier> parts = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += part) {
      List<String> mine = keys.subList(from, Math.min(keys.size(), from + part));
      parts.add(() -> rewrite(root, mine, keyring, target, batch));
    }
    return Parallel.sum(threads, parts);
  }

  private static long rewrite(
      Path root, List<String> keys, Keyring keyring, KeyId target, int batch) {
    Reencryption reencryption = new Reencryption(new BinaryEnvelopeCodec(), keyring, target);
    long rewritten = 0;
    Set<Path> folders = new LinkedHashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      Path file = root.resolve(key);
      Path temporary = file.resolveSibling(".bench-" + Thread.currentThread().getId() + ".tmp");
      try {
        byte[] replacement = reencryption.reencrypt(Files.readAllBytes(file), key);
        if (replacement != null) {
          try (FileChannel channel =
              FileChannel.open(
                  temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(replacement);
            while (buffer.hasRemaining()) {
              channel.write(buffer);
            }
            channel.force(true);
          }
          Files.move(
              temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          folders.add(file.getParent());
          rewritten++;
        }
        if ((i + 1) % batch == 0 || i == keys.size() - 1) {
          for (Path folder : folders) {
            try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
              channel.force(true);
            }
          }
          folders.clear();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("file loop: cannot rewrite " + key, e);
      }
    }
    return rewritten;
  }
}
