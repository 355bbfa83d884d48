package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.StoredItem;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway folder, {@code .verify-<dataSet>-<random>} beside the backup, where an artifact
 * backup's sample is written back as files, read back and decrypted: the small items together, each
 * large one as a stream in a folder of its own. It is removed whatever happens.
 */
final class ScratchFolder {

  private static final Logger LOG = LoggerFactory.getLogger(ScratchFolder.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProtectedDataSet dataSet;
  private final Keyring keyring;
  private final Path parent;
  private final EnvelopeCipher cipher = new EnvelopeCipher();

  ScratchFolder(ProtectedDataSet dataSet, Keyring keyring, Path parent) {
    this.dataSet = dataSet;
    this.keyring = keyring;
    this.parent = parent;
  }

  /**
   * Writes {@code sample} into the scratch folder and decrypts every file read back.
   *
   * @return how many sample files restored and decrypted: all of them
   * @throws SampleNotVerifiedException naming the first file that did not
   */
  int restoreAndDecrypt(List<StoredItem> sample) throws IOException {
    Path scratch = create();
    try {
      for (StoredItem item : sample) {
        Files.write(file(scratch, item.key()), item.value());
      }
      for (StoredItem item : sample) {
        decrypt(item, Files.readAllBytes(scratch.resolve(item.key())));
      }
      return sample.size();
    } finally {
      remove(scratch);
    }
  }

  /**
   * Streams one large item (a streaming envelope) into a scratch file, reads it back and decrypts
   * it one segment at a time: memory holds a segment, never the item.
   *
   * @param stored the item's stored bytes, read to their end
   * @throws SampleNotVerifiedException naming the item when it does not restore or decrypt
   */
  void restoreAndDecrypt(String key, InputStream stored) throws IOException {
    Path scratch = create();
    try {
      Path file = file(scratch, key);
      MessageDigest written = Sha256.digest();
      try (InputStream in = new DigestInputStream(stored, written)) {
        Files.copy(in, file);
      }
      MessageDigest read = Sha256.digest();
      byte[] bound = dataSet.store().associatedData(key);
      try (InputStream back =
              new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), read);
          DecryptingInputStream plaintext =
              new DecryptingInputStream(back, keyring, bound == null ? new byte[0] : bound)) {
        plaintext.transferTo(OutputStream.nullOutputStream());
      } catch (EnvelopeException e) {
        throw new SampleNotVerifiedException(
            dataSet.name(), key, "does not decrypt (" + e.reason() + ")");
      }
      if (!MessageDigest.isEqual(written.digest(), read.digest())) {
        throw new SampleNotVerifiedException(dataSet.name(), key, "changed in the restore");
      }
    } finally {
      remove(scratch);
    }
  }

  private Path create() throws IOException {
    byte[] name = new byte[8];
    RANDOM.nextBytes(name);
    return Files.createDirectories(
        parent.resolve(".verify-" + dataSet.name() + "-" + HexFormat.of().formatHex(name)));
  }

  /** Where {@code key} goes in {@code scratch}, its folders made; refuses paths that leave it. */
  private Path file(Path scratch, String key) throws IOException {
    Path file = scratch.resolve(key).normalize();
    if (!file.startsWith(scratch) || file.equals(scratch)) {
      throw new SampleNotVerifiedException(dataSet.name(), key, "has a path outside its folder");
    }
    Files.createDirectories(file.getParent());
    return file;
  }

  private void decrypt(StoredItem item, byte[] restored) {
    if (!Arrays.equals(restored, item.value())) {
      throw new SampleNotVerifiedException(dataSet.name(), item.key(), "changed in the restore");
    }
    try {
      cipher.decrypt(
          dataSet.codec().decode(restored), keyring, dataSet.store().associatedData(item.key()));
    } catch (EnvelopeException e) {
      throw new SampleNotVerifiedException(
          dataSet.name(), item.key(), "does not decrypt (" + e.reason() + ")");
    }
  }

  private void remove(Path scratch) {
    try (Stream<Path> files = Files.walk(scratch)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      LOG.warn(
          "data set {}: scratch folder {} was not removed ({}); remove it by hand",
          dataSet.name(),
          scratch,
          e.getClass().getSimpleName());
    }
  }
}
