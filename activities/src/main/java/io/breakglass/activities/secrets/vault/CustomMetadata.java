package io.breakglass.activities.secrets.vault;

import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.MetadataFields;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Breakglass's records in a KV v2 secret's {@code custom_metadata}, beside keys of the team's own,
 * which are kept as they are (a metadata write replaces the whole map):
 *
 * <ul>
 *   <li>{@code breakglass.current}, {@code breakglass.previous}, {@code breakglass.pending}: the
 *       Vault version number carrying each label;
 *   <li>{@code breakglass.v<N>}: version N's record, {@code "id=<versionId> version=3 rotatedAt=...
 *       rotationId=..."}, with {@code status=REVOKED at=... revokedBy=...} once retired and {@code
 *       unrevokedBy=...} once brought back;
 *   <li>{@code breakglass.claim}: the record of a version being written, set before the write so a
 *       retry after a crash recognises it (see {@link VaultKvStore});
 *   <li>{@code rotatedAt} and {@code version}: those of the CURRENT version, for people and
 *       dashboards reading the secret's metadata.
 * </ul>
 *
 * Vault allows 64 keys of 128 bytes with values of 512 bytes: old retired versions give up their
 * record when the map would exceed it ({@link #prune}).
 */
final class CustomMetadata {

  static final String PREFIX = "breakglass.";
  static final String CLAIM = PREFIX + "claim";
  static final String ROTATED_AT = "rotatedAt";
  static final String VERSION = "version";
  static final String ID = "id";
  static final String STATUS = "status";
  static final String AT = "at";
  static final String REVOKED_BY = "revokedBy";
  static final String UNREVOKED_BY = "unrevokedBy";
  static final int MAX_KEYS = 64;
  static final int MAX_VALUE = 512;

  final Map<String, String> foreign = new LinkedHashMap<>();
  final Map<Label, Integer> labels = new LinkedHashMap<>();
  final TreeMap<Integer, Map<String, String>> records = new TreeMap<>();
  Map<String, String> claim;

  static CustomMetadata parse(Map<String, String> custom) {
    CustomMetadata parsed = new CustomMetadata();
    custom.forEach(
        (key, value) -> {
          if (key.equals(CLAIM)) {
            parsed.claim = decode(value);
          } else if (key.startsWith(PREFIX + "v")
              && key.substring(PREFIX.length() + 1).matches("[0-9]{1,9}")) {
            parsed.records.put(Integer.parseInt(key.substring(PREFIX.length() + 1)), decode(value));
          } else if (labelKey(key) != null && value.matches("[0-9]{1,9}")) {
            parsed.labels.put(labelKey(key), Integer.parseInt(value));
          } else if (!key.equals(ROTATED_AT) && !key.equals(VERSION)) {
            parsed.foreign.put(key, value);
          }
        });
    return parsed;
  }

  /**
   * The map to write: the team's keys, the labels, the claim, the records, and CURRENT's summary.
   */
  Map<String, String> toMap(String secret) {
    Map<String, String> out = new LinkedHashMap<>(foreign);
    labels.forEach((label, number) -> out.put(key(label), Integer.toString(number)));
    if (claim != null) {
      out.put(CLAIM, encode(secret, claim));
    }
    records.forEach((number, record) -> out.put(PREFIX + "v" + number, encode(secret, record)));
    Integer current = labels.get(Label.CURRENT);
    Map<String, String> currentRecord = current == null ? null : records.get(current);
    if (currentRecord != null && currentRecord.get(ROTATED_AT) != null) {
      out.put(ROTATED_AT, currentRecord.get(ROTATED_AT));
    }
    if (current != null) {
      out.put(
          VERSION,
          currentRecord != null && currentRecord.get(VERSION) != null
              ? currentRecord.get(VERSION)
              : Integer.toString(current));
    }
    return out;
  }

  /**
   * Drops the records of the oldest versions that carry no label and are not ACTIVE, or that Vault
   * no longer keeps, until the map fits in Vault's 64 keys.
   */
  void prune(String secret, List<Integer> kept) {
    while (toMap(secret).size() > MAX_KEYS) {
      Integer oldest =
          records.keySet().stream()
              .filter(n -> !labels.containsValue(n))
              .filter(n -> !kept.contains(n) || records.get(n).containsKey(STATUS))
              .findFirst()
              .orElseThrow(
                  () ->
                      new SecretStoreException(
                          RotationErrors.INVALID_REQUEST,
                          "the custom_metadata of "
                              + secret
                              + " cannot hold Breakglass's records within Vault's "
                              + MAX_KEYS
                              + " keys"));
      records.remove(oldest);
    }
  }

  /** The highest Breakglass sequence number recorded; 0 when none. */
  int highestSequence() {
    int highest = 0;
    for (Map<String, String> record : records.values()) {
      String v = record.get(VERSION);
      if (v != null && v.matches("[0-9]{1,9}")) {
        highest = Math.max(highest, Integer.parseInt(v));
      }
    }
    return highest;
  }

  private static String key(Label label) {
    return PREFIX + label.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Label labelKey(String key) {
    for (Label label : Label.values()) {
      if (key(label).equals(key)) {
        return label;
      }
    }
    return null;
  }

  static String encode(String secret, Map<String, String> fields) {
    fields.forEach(
        (key, v) -> {
          if (key.isEmpty()
              || v == null
              || v.isEmpty()
              || (key + v).chars().anyMatch(c -> c == ' ' || c == '=' || c < 0x21 || c > 0x7e)) {
            throw new SecretStoreException(
                RotationErrors.INVALID_REQUEST,
                "metadata "
                    + key
                    + " of "
                    + secret
                    + " cannot be kept in Vault's custom_metadata (printable ASCII without spaces or '=' only)");
          }
        });
    String value = MetadataFields.join(fields);
    if (value.length() > MAX_VALUE) {
      throw new SecretStoreException(
          RotationErrors.INVALID_REQUEST,
          "the metadata of a version of "
              + secret
              + " exceeds the "
              + MAX_VALUE
              + " bytes of a Vault custom_metadata value");
    }
    return value;
  }

  static Map<String, String> decode(String value) {
    return MetadataFields.parse(value);
  }
}
