package io.breakglass.activities.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyring a workload reads, whether from a file or a Kubernetes Secret: version ids per secret,
 * never key material (the workload resolves material from the secret store).
 *
 * <pre>{@code {"deployment":"backend","secrets":{"jwt":{"primary":"v2","decryptOnly":["v1"]}}}}
 * </pre>
 */
public final class KeyringDocument {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The document's shape. */
  record Document(String deployment, Map<String, Entry> secrets) {}

  /** One secret's versions. */
  record Entry(String primary, List<String> decryptOnly) {}

  private KeyringDocument() {}

  /** The keyring in {@code json}, or an empty one for {@code null}. */
  public static KeyringSpec parse(String deployment, byte[] json) {
    if (json == null) {
      return new KeyringSpec(deployment, List.of());
    }
    try {
      Document document = JSON.readValue(json, Document.class);
      return new KeyringSpec(
          deployment,
          document.secrets().entrySet().stream()
              .map(
                  e ->
                      new KeyringEntry(
                          e.getKey(), e.getValue().primary(), e.getValue().decryptOnly()))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the keyring of " + deployment + " is not a keyring document", e);
    }
  }

  /**
   * {@code current} with the entries of the secrets in {@code change} replaced, the others kept.
   */
  public static byte[] merged(byte[] current, KeyringSpec change) {
    Map<String, Entry> secrets = new LinkedHashMap<>();
    for (KeyringEntry entry : parse(change.deployment(), current).entries()) {
      secrets.put(
          entry.secret(), new Entry(entry.primaryVersionId(), entry.decryptOnlyVersionIds()));
    }
    for (KeyringEntry entry : change.entries()) {
      secrets.put(
          entry.secret(), new Entry(entry.primaryVersionId(), entry.decryptOnlyVersionIds()));
    }
    try {
      return JSON.writeValueAsBytes(new Document(change.deployment(), secrets));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the keyring of " + change.deployment(), e);
    }
  }
}
