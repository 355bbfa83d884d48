package io.breakglass.activities.secrets;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One version inside the local store, with its material. Mutable while a store update runs; the
 * outside world only sees {@link #view()}.
 */
final class StoredVersion {

  final String versionId;
  private final byte[] material;
  final EnumSet<Label> labels;
  VersionStatus status;
  final Map<String, String> metadata;
  final Instant createdAt;
  Instant statusChangedAt;

  StoredVersion(
      String versionId,
      byte[] material,
      Set<Label> labels,
      VersionStatus status,
      Map<String, String> metadata,
      Instant createdAt,
      Instant statusChangedAt) {
    this.versionId = versionId;
    this.material = material.clone();
    this.labels = labels.isEmpty() ? EnumSet.noneOf(Label.class) : EnumSet.copyOf(labels);
    this.status = status;
    this.metadata = new LinkedHashMap<>(metadata);
    this.createdAt = createdAt;
    this.statusChangedAt = statusChangedAt;
  }

  /** A copy of the material. */
  byte[] material() {
    return material.clone();
  }

  /** Whether the material equals {@code value}, in constant time. */
  boolean holds(byte[] value) {
    return MessageDigest.isEqual(material, value);
  }

  /** The version without its material. */
  SecretVersion view() {
    return new SecretVersion(
        versionId,
        Collections.unmodifiableSet(EnumSet.copyOf(labels)),
        status,
        Collections.unmodifiableMap(new LinkedHashMap<>(metadata)),
        createdAt,
        statusChangedAt);
  }

  @Override
  public String toString() {
    return "StoredVersion(" + versionId + ", " + labels + ", " + status + ")";
  }
}
