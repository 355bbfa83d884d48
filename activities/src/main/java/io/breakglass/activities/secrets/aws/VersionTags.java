package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.secrets.MetadataFields;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.RotationErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * What Secrets Manager cannot keep per version, kept in the secret's tags, one tag per version:
 * Secrets Manager has metadata neither per version nor a status beside labels, and tags belong to
 * the secret (50 at most). A version Breakglass creates gets {@code breakglass:<versionId>} =
 * {@code "version=3 rotatedAt=... rotationId=..."}, its creation metadata, written before the
 * version so a retry finds it. Retiring it rewrites the same tag with {@code status=REVOKED at=...
 * revokedBy=...} appended, so a retired version takes no second tag; an un-revoke rewrites it with
 * {@code revokedBy=... unrevokedBy=... at=...} and no status. Tags keep to the characters AWS
 * allows; a metadata key or value outside them is refused.
 *
 * <p>A version without a tag is ACTIVE with no metadata; the store decides what an unlabelled one
 * without a tag is.
 */
final class VersionTags {

  static final String PREFIX = "breakglass:";
  static final String VERSION = "version";
  static final String REVOKED_BY = "revokedBy";
  static final String UNREVOKED_BY = SecretVersion.UNREVOKED_BY;
  private static final String STATUS = "status";
  private static final String AT = "at";
  private static final Set<String> RESERVED = Set.of(STATUS, AT, REVOKED_BY, UNREVOKED_BY);
  // AWS tag values allow letters, digits, spaces and _ . : / = + - @; space and '=' separate here.
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:/+@-]{1,128}");
  private static final int MAX_VALUE = 256;

  private final Map<String, String> tags;

  VersionTags(List<Tag> tags) {
    this.tags = tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
  }

  /** The tag of a new version: its creation metadata. */
  static Tag created(String secret, String versionId, Map<String, String> metadata) {
    for (String key : metadata.keySet()) {
      if (RESERVED.contains(key)) {
        throw invalid(
            "metadata " + key + " of " + secret + " is reserved for the version's status");
      }
    }
    return tag(versionId, encode(secret, metadata));
  }

  /**
   * The tag of {@code versionId} once retired: its creation metadata, then the status. When both do
   * not fit in one tag value, creation fields other than {@code version} are left out from the
   * last: the status is what must survive, and the audit timeline keeps the rest.
   */
  Tag retired(String secret, String versionId, VersionStatus status, Instant at, String revokedBy) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(STATUS, status.name());
    fields.put(AT, at.toString());
    if (revokedBy != null) {
      fields.put(REVOKED_BY, revokedBy);
    }
    return withCreation(versionId, encode(secret, fields));
  }

  /**
   * The tag of {@code versionId} once an un-revoke made it active again: its creation metadata,
   * then who revoked it, {@code unrevokedBy} and when; no status, so it reads ACTIVE. Shortened as
   * {@link #retired} is.
   */
  Tag unrevoked(String secret, String versionId, Instant at, String rotationId) {
    Map<String, String> fields = new LinkedHashMap<>();
    String revokedBy = decode(tags.get(PREFIX + versionId)).get(REVOKED_BY);
    if (revokedBy != null) {
      fields.put(REVOKED_BY, revokedBy);
    }
    fields.put(UNREVOKED_BY, rotationId);
    fields.put(AT, at.toString());
    return withCreation(versionId, encode(secret, fields));
  }

  /** The creation fields of the current tag, then {@code statusPart}, within one tag value. */
  private Tag withCreation(String versionId, String statusPart) {
    List<String> created = new ArrayList<>();
    for (String field : fieldsOf(versionId)) {
      int eq = field.indexOf('=');
      if (eq <= 0 || !RESERVED.contains(field.substring(0, eq))) {
        created.add(field);
      }
    }
    while (!created.isEmpty() && joined(created, statusPart).length() > MAX_VALUE) {
      int last = created.size() - 1;
      created.remove(last > 0 && created.get(last).startsWith(VERSION + "=") ? last - 1 : last);
    }
    return tag(versionId, joined(created, statusPart));
  }

  /** Whether {@code versionId} has a tag. */
  boolean has(String versionId) {
    return tags.containsKey(PREFIX + versionId);
  }

  /**
   * Creation metadata, plus {@code revokedBy} once revoked and {@code unrevokedBy} once brought
   * back.
   */
  Map<String, String> metadata(String versionId) {
    Map<String, String> metadata = decode(tags.get(PREFIX + versionId));
    metadata.remove(STATUS);
    metadata.remove(AT);
    return metadata;
  }

  /** The status the tag records; ACTIVE without one. */
  VersionStatus status(String versionId) {
    String status = decode(tags.get(PREFIX + versionId)).get(STATUS);
    return status == null ? VersionStatus.ACTIVE : VersionStatus.valueOf(status);
  }

  /** When the version was retired or brought back; null when never, or when not recorded. */
  Instant statusChangedAt(String versionId) {
    String at = decode(tags.get(PREFIX + versionId)).get(AT);
    return at == null ? null : Instant.parse(at);
  }

  /** The highest version number recorded in the tags; 0 when none. */
  int highestVersion() {
    return tags.entrySet().stream()
        .filter(e -> e.getKey().startsWith(PREFIX))
        .map(e -> decode(e.getValue()).get(VERSION))
        .filter(v -> v != null && v.chars().allMatch(Character::isDigit))
        .mapToInt(Integer::parseInt)
        .max()
        .orElse(0);
  }

  /** The version ids that have a tag, in no particular order. */
  List<String> versionIds() {
    return tags.keySet().stream()
        .filter(k -> k.startsWith(PREFIX))
        .map(k -> k.substring(PREFIX.length()))
        .toList();
  }

  /**
   * How many tags are not Breakglass's and count against AWS's limit ({@code aws:} ones do not).
   */
  int othersCounted() {
    return (int)
        tags.keySet().stream().filter(k -> !k.startsWith(PREFIX) && !k.startsWith("aws:")).count();
  }

  /** The key of the tag of {@code versionId}. */
  static String key(String versionId) {
    return PREFIX + versionId;
  }

  private String[] fieldsOf(String versionId) {
    String value = tags.get(PREFIX + versionId);
    return value == null || value.isEmpty() ? new String[0] : value.split(" ");
  }

  private static String joined(List<String> created, String statusPart) {
    return created.isEmpty() ? statusPart : String.join(" ", created) + " " + statusPart;
  }

  private static Tag tag(String versionId, String value) {
    return Tag.builder().key(key(versionId)).value(value).build();
  }

  private static String encode(String secret, Map<String, String> fields) {
    fields.forEach(
        (key, v) -> {
          if (!WORD.matcher(key).matches() || v == null || !WORD.matcher(v).matches()) {
            throw invalid(
                "metadata "
                    + key
                    + " of "
                    + secret
                    + " cannot be kept in an AWS tag (letters, digits and _ . : / + @ - only)");
          }
        });
    String value = MetadataFields.join(fields);
    if (value.length() > MAX_VALUE) {
      throw invalid(
          "the metadata of a version of "
              + secret
              + " exceeds the "
              + MAX_VALUE
              + " characters of an AWS tag");
    }
    return value;
  }

  private static Map<String, String> decode(String value) {
    return MetadataFields.parse(value);
  }

  private static SecretStoreException invalid(String message) {
    return new SecretStoreException(RotationErrors.INVALID_REQUEST, message);
  }
}
