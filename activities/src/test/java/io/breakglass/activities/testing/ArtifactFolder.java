package io.breakglass.activities.testing;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.workflows.messages.values.DataSetType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A folder of synthetic chart artifacts, each a binary envelope bound to its relative path. */
public final class ArtifactFolder {

  private final Path root;
  private final Keyring keyring;
  private final BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();

  public ArtifactFolder(Path root, Keyring keyring) {
    this.root = root;
    this.keyring = keyring;
  }

  public DataSetConfig config(String secret, int shardSize, int batchSize) {
    return new DataSetConfig(
        "chart-artifacts",
        secret,
        DataSetType.ARTIFACT_DIRECTORY,
        null,
        null,
        null,
        null,
        null,
        root,
        AssociatedDataMode.OBJECT_PATH,
        shardSize,
        batchSize,
        2,
        0,
        null);
  }

  /** Writes {@code count} artifacts in two sub-folders, encrypted under {@code key}. */
  public void seed(int count, KeyId key) {
    for (int i = 0; i < count; i++) {
      write(String.format("patient-%02d/chart-%04d.pdf", i % 2, i), content(i, 0), key);
    }
  }

  /** Writes one artifact as the application would. */
  public void write(String relative, String content, KeyId key) {
    byte[] ad = relative.getBytes(StandardCharsets.UTF_8);
    byte[] stored =
        codec.encode(
            new EnvelopeCipher()
                .encrypt(key, keyring.key(key), content.getBytes(StandardCharsets.UTF_8), ad));
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.write(file, stored);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String content(int i, int generation) {
    return "%PDF synthetic chart " + i + " generation " + generation + " " + "y".repeat(2048);
  }

  /** Key id per artifact. */
  public Map<String, String> keyIds() {
    Map<String, String> kids = new TreeMap<>();
    files()
        .forEach((relative, bytes) -> kids.put(relative, codec.decode(bytes).keyId().toString()));
    return kids;
  }

  /** Plaintext per artifact; throws if one does not decrypt. */
  public Map<String, String> plaintexts() {
    EnvelopeCipher cipher = new EnvelopeCipher();
    Map<String, String> plain = new TreeMap<>();
    files()
        .forEach(
            (relative, bytes) ->
                plain.put(
                    relative,
                    new String(
                        cipher.decrypt(
                            codec.decode(bytes),
                            keyring,
                            relative.getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8)));
    return plain;
  }

  /** Stored bytes per visible artifact. */
  public Map<String, byte[]> files() {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(file).toString();
        if (!file.getFileName().toString().startsWith(".")) {
          files.put(relative, Files.readAllBytes(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
