package io.breakglass.activities.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A keyring published as a JSON file a workload reads at start: version ids per secret, never key
 * material (the workload resolves material from the secret store). Written atomically.
 *
 * <pre>{@code {"deployment":"backend","secrets":{"jwt":{"primary":"v2","decryptOnly":["v1"]}}}}</pre>
 *
 * <p>Public so that a workload (the sample service) reads exactly what the targets publish.
 */
public final class KeyringFile {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The document's shape. */
  record Document(String deployment, Map<String, Entry> secrets) {}

  /** One secret's versions. */
  record Entry(String primary, List<String> decryptOnly) {}

  private final Path file;

  public KeyringFile(Path file) {
    this.file = file;
  }

  /** The published keyring; no entries when nothing was published yet. */
  public KeyringSpec read(String deployment) {
    if (!Files.exists(file)) {
      return new KeyringSpec(deployment, List.of());
    }
    try {
      Document document = JSON.readValue(file.toFile(), Document.class);
      return new KeyringSpec(
          deployment,
          document.secrets().entrySet().stream()
              .map(e -> new KeyringEntry(e.getKey(), e.getValue().primary(), e.getValue().decryptOnly()))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keyring file " + file, e);
    }
  }

  void merge(KeyringSpec change) {
    Map<String, Entry> secrets = new LinkedHashMap<>();
    for (KeyringEntry entry : read(change.deployment()).entries()) {
      secrets.put(entry.secret(), new Entry(entry.primaryVersionId(), entry.decryptOnlyVersionIds()));
    }
    for (KeyringEntry entry : change.entries()) {
      secrets.put(entry.secret(), new Entry(entry.primaryVersionId(), entry.decryptOnlyVersionIds()));
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.write(temporary, JSON.writeValueAsBytes(new Document(change.deployment(), secrets)));
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write keyring file " + file, e);
    }
  }
}
