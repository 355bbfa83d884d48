package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.RotationErrors;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * What Secrets Manager cannot keep per version, kept in the secret's tags: Secrets Manager has
 * metadata neither per version nor a status beside labels, and tags belong to the secret. Each
 * version Breakglass creates gets {@code breakglass:<versionId>} = {@code "version=3
 * rotatedAt=... rotationId=..."} (its creation metadata, written before the version, so a retry
 * finds it), and each version it retires gets {@code breakglass:<versionId>:status} = {@code
 * "status=REVOKED at=... revokedBy=..."}. Tags keep to the characters AWS allows; a metadata key
 * or value outside them is refused. Versions without tags (made by other tools) are ACTIVE with
 * no metadata.
 */
final class VersionTags {

  static final String PREFIX = "breakglass:";
  static final String VERSION = "version";
  static final String REVOKED_BY = "revokedBy";
  private static final String STATUS_SUFFIX = ":status";
  // AWS tag values allow letters, digits, spaces and _ . : / = + - @; space and '=' separate here.
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:/+@-]{1,128}");
  private static final int MAX_VALUE = 256;

  private final Map<String, String> tags;

  VersionTags(List<Tag> tags) {
    this.tags = tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
  }

  /** The creation metadata tag of {@code versionId}. */
  static Tag metadata(String secret, String versionId, Map<String, String> metadata) {
    return Tag.builder().key(PREFIX + versionId).value(encode(secret, metadata)).build();
  }

  /** The status tag of a retired version. */
  static Tag status(String secret, String versionId, VersionStatus status, Instant at, String revokedBy) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("status", status.name());
    fields.put("at", at.toString());
    if (revokedBy != null) {
      fields.put(REVOKED_BY, revokedBy);
    }
    return Tag.builder().key(PREFIX + versionId + STATUS_SUFFIX).value(encode(secret, fields)).build();
  }

  /** Creation metadata, plus {@code revokedBy} once revoked. */
  Map<String, String> metadata(String versionId) {
    Map<String, String> metadata = decode(tags.get(PREFIX + versionId));
    String revokedBy = statusFields(versionId).get(REVOKED_BY);
    if (revokedBy != null) {
      metadata.put(REVOKED_BY, revokedBy);
    }
    return metadata;
  }

  VersionStatus status(String versionId) {
    String status = statusFields(versionId).get("status");
    return status == null ? VersionStatus.ACTIVE : VersionStatus.valueOf(status);
  }

  /** When the version was retired; null while active. */
  Instant statusChangedAt(String versionId) {
    String at = statusFields(versionId).get("at");
    return at == null ? null : Instant.parse(at);
  }

  /** The highest version number recorded in the tags; 0 when none. */
  int highestVersion() {
    return tags.entrySet().stream()
        .filter(e -> e.getKey().startsWith(PREFIX) && !e.getKey().endsWith(STATUS_SUFFIX))
        .map(e -> decode(e.getValue()).get(VERSION))
        .filter(v -> v != null && v.chars().allMatch(Character::isDigit))
        .mapToInt(Integer::parseInt)
        .max()
        .orElse(0);
  }

  private Map<String, String> statusFields(String versionId) {
    return decode(tags.get(PREFIX + versionId + STATUS_SUFFIX));
  }

  private static String encode(String secret, Map<String, String> fields) {
    StringBuilder value = new StringBuilder();
    fields.forEach((key, v) -> {
      if (!WORD.matcher(key).matches() || v == null || !WORD.matcher(v).matches()) {
        throw new SecretStoreException(RotationErrors.INVALID_REQUEST, "metadata " + key + " of " + secret
            + " cannot be kept in an AWS tag (letters, digits and _ . : / + @ - only)");
      }
      value.append(value.length() == 0 ? "" : " ").append(key).append('=').append(v);
    });
    if (value.length() > MAX_VALUE) {
      throw new SecretStoreException(RotationErrors.INVALID_REQUEST, "the metadata of a version of "
          + secret + " exceeds the " + MAX_VALUE + " characters of an AWS tag");
    }
    return value.toString();
  }

  private static Map<String, String> decode(String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (value == null || value.isEmpty()) {
      return fields;
    }
    for (String field : value.split(" ")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    return fields;
  }
}
