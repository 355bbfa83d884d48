package io.breakglass.workflows;

import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.breakglass.workflows.messages.values.NewVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The keyrings a deployment moves through, in the zero-downtime order: readers learn the new key
 * before any writer uses it, and old keys stay readable until REVOKE (or again after an un-revoke).
 */
final class Keyrings {

  private Keyrings() {}

  /** DISTRIBUTE: the new version becomes decrypt-only; the primary does not change. */
  static KeyringSpec distributed(KeyringSpec before, List<NewVersion> versions) {
    return rewrite(
        before,
        versions,
        (entry, version) -> {
          Set<String> readable = new LinkedHashSet<>(entry.decryptOnlyVersionIds());
          readable.add(version.versionId());
          readable.remove(entry.primaryVersionId());
          return new KeyringEntry(
              entry.secret(), entry.primaryVersionId(), new ArrayList<>(readable));
        });
  }

  /** PROMOTE: the new version becomes primary; the old primary stays decrypt-only. */
  static KeyringSpec promoted(KeyringSpec distributed, List<NewVersion> versions) {
    return rewrite(
        distributed,
        versions,
        (entry, version) -> {
          Set<String> readable = new LinkedHashSet<>();
          readable.add(entry.primaryVersionId());
          readable.addAll(entry.decryptOnlyVersionIds());
          readable.remove(version.versionId());
          return new KeyringEntry(entry.secret(), version.versionId(), new ArrayList<>(readable));
        });
  }

  /**
   * REVOKE: only the new version is left. VERIFY_DATA has shown that no item is under any other
   * version, so dropping them all loses nothing.
   */
  static KeyringSpec revoked(KeyringSpec promoted, List<NewVersion> versions) {
    return rewrite(
        promoted,
        versions,
        (entry, version) -> new KeyringEntry(entry.secret(), version.versionId(), List.of()));
  }

  /**
   * The way back after REVOKE: {@code versionId} of {@code secret} is decrypt-only again beside the
   * primary, which does not change. Only that secret's entry is published; a keyring without one
   * yields an empty change.
   */
  static KeyringSpec decryptOnlyAgain(KeyringSpec keyring, String secret, String versionId) {
    List<KeyringEntry> entries = new ArrayList<>();
    for (KeyringEntry entry : keyring.entries()) {
      if (entry.secret().equals(secret)) {
        Set<String> readable = new LinkedHashSet<>(entry.decryptOnlyVersionIds());
        if (!versionId.equals(entry.primaryVersionId())) {
          readable.add(versionId);
        }
        entries.add(new KeyringEntry(secret, entry.primaryVersionId(), new ArrayList<>(readable)));
      }
    }
    return new KeyringSpec(keyring.deployment(), entries);
  }

  /**
   * The entries of {@code keyring} for the rotated secrets only, unchanged: what a rollback
   * restores.
   */
  static KeyringSpec rotatedEntries(KeyringSpec keyring, List<NewVersion> versions) {
    return rewrite(keyring, versions, (entry, version) -> entry);
  }

  private interface EntryRewrite {
    KeyringEntry apply(KeyringEntry entry, NewVersion version);
  }

  /** Rewrites the entries of rotated secrets; the others are not part of the published change. */
  private static KeyringSpec rewrite(
      KeyringSpec keyring, List<NewVersion> versions, EntryRewrite rewrite) {
    Map<String, NewVersion> bySecret =
        versions.stream().collect(Collectors.toMap(NewVersion::secret, Function.identity()));
    List<KeyringEntry> entries = new ArrayList<>();
    for (KeyringEntry entry : keyring.entries()) {
      NewVersion version = bySecret.get(entry.secret());
      if (version != null) {
        entries.add(rewrite.apply(entry, version));
      }
    }
    return new KeyringSpec(keyring.deployment(), entries);
  }
}
