package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A secret inside the local store and the lifecycle rules on its versions (the rules of {@link
 * SecretStore}, applied in memory; {@link LocalSecretStore} persists the result). Guard clauses
 * name the secret and version id, never material.
 */
final class StoredSecret {

  /** Metadata key the store sets: the 1-based sequence number of a version within its secret. */
  static final String VERSION = "version";

  /** Metadata key recording the rotation that revoked a version. */
  static final String REVOKED_BY = "revokedBy";

  /** Metadata key recording the rotation whose revoke of a version was undone. */
  static final String UNREVOKED_BY = SecretVersion.UNREVOKED_BY;

  final String name;
  final List<StoredVersion> versions;

  StoredSecret(String name, List<StoredVersion> versions) {
    this.name = name;
    this.versions = new ArrayList<>(versions);
  }

  SecretState state() {
    return new SecretState(name, versions.stream().map(StoredVersion::view).toList());
  }

  Optional<StoredVersion> find(String versionId) {
    return versions.stream().filter(v -> v.versionId.equals(versionId)).findFirst();
  }

  StoredVersion version(String versionId) {
    return find(versionId)
        .orElseThrow(
            () ->
                error(
                    RotationErrors.VERSION_NOT_FOUND,
                    "version " + versionId + " of " + name + " does not exist"));
  }

  Optional<StoredVersion> labelled(Label label) {
    return versions.stream().filter(v -> v.labels.contains(label)).findFirst();
  }

  /** See {@link SecretStore#createPending}. */
  StoredVersion createPending(
      String versionId, byte[] value, Map<String, String> metadata, Instant now) {
    Optional<StoredVersion> existing = find(versionId);
    if (existing.isPresent()) {
      if (existing.get().holds(value)) {
        return existing.get();
      }
      throw error(
          RotationErrors.IDEMPOTENCY_CONFLICT,
          "version " + versionId + " of " + name + " exists with a different value");
    }
    Optional<StoredVersion> pending = labelled(Label.PENDING);
    if (pending.isPresent()) {
      throw error(
          RotationErrors.STALE_PENDING,
          "version "
              + pending.get().versionId
              + " of "
              + name
              + " already carries PENDING; version "
              + versionId
              + " is not created until a human resolves it");
    }
    Map<String, String> stored = new LinkedHashMap<>(metadata);
    stored.put(VERSION, Integer.toString(versions.size() + 1));
    StoredVersion created =
        new StoredVersion(
            versionId, value, EnumSet.of(Label.PENDING), VersionStatus.ACTIVE, stored, now, null);
    versions.add(created);
    return created;
  }

  /** See {@link SecretStore#annotate}. */
  void annotate(String versionId, Map<String, String> metadata) {
    StoredVersion version = version(versionId);
    requireActive(version, "record metadata on");
    metadata.forEach(version.metadata::putIfAbsent);
  }

  /** See {@link SecretStore#moveCurrent}. */
  void moveCurrent(String versionId) {
    StoredVersion target = version(versionId);
    requireActive(target, "promote");
    if (target.labels.contains(Label.CURRENT)) {
      return;
    }
    Optional<StoredVersion> current = labelled(Label.CURRENT);
    versions.forEach(v -> v.labels.remove(Label.PREVIOUS));
    current.ifPresent(
        v -> {
          v.labels.remove(Label.CURRENT);
          v.labels.add(Label.PREVIOUS);
        });
    target.labels.remove(Label.PENDING);
    target.labels.add(Label.CURRENT);
  }

  /** See {@link SecretStore#restoreLabels}. */
  void restoreLabels(String currentVersionId, String previousVersionId) {
    if (currentVersionId.equals(previousVersionId)) {
      throw error(
          RotationErrors.INVALID_REQUEST,
          "cannot put CURRENT and PREVIOUS on the same"
              + " version "
              + currentVersionId
              + " of "
              + name);
    }
    StoredVersion current = version(currentVersionId);
    requireActive(current, "put CURRENT on");
    StoredVersion previous = previousVersionId == null ? null : version(previousVersionId);
    if (previous != null) {
      requireActive(previous, "put PREVIOUS on");
    }
    versions.forEach(
        v -> {
          v.labels.remove(Label.CURRENT);
          v.labels.remove(Label.PREVIOUS);
        });
    current.labels.add(Label.CURRENT);
    if (previous != null) {
      previous.labels.add(Label.PREVIOUS);
    }
  }

  /** See {@link SecretStore#discard}. */
  void discard(String versionId, Instant now) {
    Optional<StoredVersion> found = find(versionId);
    if (found.isEmpty() || found.get().status == VersionStatus.DISCARDED) {
      return;
    }
    retire(found.get(), VersionStatus.DISCARDED, "discard", now);
  }

  /** See {@link SecretStore#revoke}. */
  void revoke(String versionId, String rotationId, Instant now) {
    StoredVersion version = version(versionId);
    if (version.status == VersionStatus.REVOKED) {
      return;
    }
    retire(version, VersionStatus.REVOKED, "revoke", now);
    if (rotationId != null) {
      version.metadata.put(REVOKED_BY, rotationId);
    }
    version.metadata.remove(UNREVOKED_BY);
  }

  /** See {@link SecretStore#unrevoke}. */
  void unrevoke(String versionId, String rotationId, Instant now) {
    StoredVersion version = version(versionId);
    if (version.status == VersionStatus.ACTIVE) {
      return;
    }
    if (version.status == VersionStatus.DISCARDED) {
      throw error(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot un-revoke the discarded version " + versionId + " of " + name);
    }
    String revokedBy = version.metadata.get(REVOKED_BY);
    if (!rotationId.equals(revokedBy)) {
      throw error(
          RotationErrors.ILLEGAL_KEY_STATE,
          "version "
              + versionId
              + " of "
              + name
              + " was revoked by "
              + (revokedBy == null ? "an unrecorded rotation" : "rotation " + revokedBy)
              + ", not by rotation "
              + rotationId);
    }
    version.status = VersionStatus.ACTIVE;
    version.statusChangedAt = now;
    version.metadata.put(UNREVOKED_BY, rotationId);
    if (labelled(Label.PREVIOUS).isEmpty()) {
      version.labels.add(Label.PREVIOUS);
    }
  }

  // Tink's rule: status moves only away from ACTIVE, and never on the version in use.
  private void retire(StoredVersion version, VersionStatus status, String verb, Instant now) {
    if (version.labels.contains(Label.CURRENT)) {
      throw error(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot " + verb + " the current version " + version.versionId + " of " + name);
    }
    requireActive(version, verb);
    version.labels.clear();
    version.status = status;
    version.statusChangedAt = now;
  }

  private void requireActive(StoredVersion version, String verb) {
    if (version.status != VersionStatus.ACTIVE) {
      throw error(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot "
              + verb
              + " the "
              + version.status.name().toLowerCase(Locale.ROOT)
              + " version "
              + version.versionId
              + " of "
              + name);
    }
  }

  private static SecretStoreException error(RotationErrors error, String message) {
    return new SecretStoreException(error, message);
  }

  @Override
  public String toString() {
    return "StoredSecret(" + name + ", " + versions + ")";
  }
}
