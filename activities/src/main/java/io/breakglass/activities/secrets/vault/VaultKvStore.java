package io.breakglass.activities.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.activities.config.VaultConfig;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.secrets.vault.VaultKvCalls.CheckAndSetConflict;
import io.breakglass.activities.secrets.vault.VaultKvCalls.Missing;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link SecretStore} on a HashiCorp Vault KV version 2 secrets engine, over its HTTP API.
 *
 * <ul>
 *   <li><b>Versions</b> are Vault's: each Breakglass version is one KV version whose data is {@code
 *       {"value": ..., "breakglass_version_id": ...}}; an API key's value is its text, a key's is
 *       base64. Versions written by other tools read with their number as version id. A secret
 *       configured with another {@code encoding} is kept as the application wrote it: BASE64 in
 *       {@code value} as that text, JSON_FIELD as the version's whole data object (its {@code
 *       jsonField} among the application's own fields), so the {@code EncodedSecretStore} in front
 *       of this store reads and writes it in that form.
 *   <li><b>Labels, metadata and status</b> live in the secret's {@code custom_metadata} ({@link
 *       CustomMetadata}): Vault has no labels, and its "latest version" cannot be held back while a
 *       PENDING version waits. So applications that read Vault directly read the version {@code
 *       breakglass.current} names, not the latest. A secret without Breakglass's records (adopted)
 *       reads its latest live version as CURRENT until Breakglass's first write pins it.
 *   <li><b>Check-and-set</b>: every new version is written with {@code options.cas} set to the
 *       version read just before; when another writer wrote meanwhile, Vault refuses, and the store
 *       reads again and retries ({@value #CAS_ATTEMPTS} attempts, then {@code
 *       SECRET_STORE_UNAVAILABLE}). Metadata writes have no check-and-set in Vault: Breakglass's
 *       own writers are kept apart by its per-secret lock.
 *   <li><b>Crash safety</b>: the new version's record is claimed in the metadata before the data is
 *       written, and the data carries the version id, so a retry after a crash between the two
 *       recognises the version instead of writing another.
 *   <li><b>Discard and revoke</b> soft-delete the version ({@code POST delete/}): Vault stops
 *       returning it to anyone, and an un-revoke restores it ({@code POST undelete/}) within the
 *       way back. {@code destroy} is never called: a retired key stays recoverable until Vault's
 *       own {@code max_versions} retires it, which the operator sizes for the recovery window.
 *   <li><b>Adoption</b> ({@link #annotate}) records the version's metadata and pins CURRENT in
 *       {@code custom_metadata}; it writes no version, so no check-and-set is involved.
 *   <li><b>Operator-supplied values</b> wait at {@code breakglass/staged/<secret>} in the same
 *       mount; clearing one soft-deletes it.
 * </ul>
 */
public final class VaultKvStore implements SecretStore {

  /** Where operator-supplied values wait, within the mount: {@code breakglass/staged/<secret>}. */
  public static final String STAGED_PREFIX = "breakglass/staged/";

  /** The data field holding the value, in every version Breakglass writes. */
  public static final String VALUE = "value";

  /** The data field naming the Breakglass version a Vault version is. */
  public static final String VERSION_ID = "breakglass_version_id";

  static final int CAS_ATTEMPTS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESERVED =
      Set.of(
          CustomMetadata.ID,
          CustomMetadata.STATUS,
          CustomMetadata.AT,
          CustomMetadata.REVOKED_BY,
          CustomMetadata.UNREVOKED_BY);

  private final VaultKvCalls vault;
  private final VaultConfig config;
  private final Map<String, SecretConfig> secrets;
  private final Clock clock;

  /**
   * @param config the server, mount, paths and token source
   * @param secrets the configured secrets, for their kinds; any other name holds binary values
   * @param environment where {@code config.tokenEnv()} is read ({@code System::getenv})
   */
  public VaultKvStore(
      VaultConfig config,
      List<SecretConfig> secrets,
      Clock clock,
      Function<String, String> environment) {
    this.config = config;
    this.vault =
        new VaultKvCalls(
            config.address(),
            config.mount(),
            config.namespace(),
            new VaultToken(config.tokenEnv(), config.tokenFile(), environment));
    this.secrets =
        secrets.stream().collect(Collectors.toMap(SecretConfig::name, Function.identity()));
    this.clock = clock;
  }

  @Override
  public SecretState describe(String secret) {
    Snapshot snapshot = read(secret);
    if (snapshot.views().isEmpty()) {
      throw notFound("secret " + secret + " has no version in Vault at " + snapshot.path);
    }
    return new SecretState(secret, snapshot.views());
  }

  @Override
  public byte[] material(String secret, String versionId) {
    Snapshot snapshot = read(secret);
    int number = snapshot.number(versionId);
    try {
      return storedValue(secret, vault.data(snapshot.path, number), versionId);
    } catch (Missing e) {
      throw notFound(
          "version "
              + versionId
              + " of "
              + secret
              + " is deleted in Vault (version "
              + number
              + ")");
    }
  }

  @Override
  public SecretVersion createPending(
      String secret, String versionId, byte[] value, Map<String, String> metadata) {
    requireName(secret, "a secret name");
    requireName(versionId, "a version id of " + secret);
    if (value == null || value.length == 0) {
      throw invalid("version " + versionId + " of " + secret + " needs a non-empty value");
    }
    Map<String, String> given = metadata == null ? Map.of() : metadata;
    for (String key : given.keySet()) {
      if (RESERVED.contains(key)) {
        throw invalid(
            "metadata " + key + " of " + secret + " is reserved for the version's record");
      }
    }
    Snapshot snapshot = readOrEmpty(secret);
    Optional<View> existing = snapshot.find(versionId);
    if (existing.isPresent()) {
      requireSameValue(secret, snapshot, existing.get(), value);
      return existing.get().version();
    }
    requireNoOtherPending(secret, snapshot, versionId);
    Map<String, String> record = new LinkedHashMap<>();
    record.put(CustomMetadata.ID, versionId);
    record.putAll(given);
    record.put(CustomMetadata.VERSION, Integer.toString(snapshot.nextSequence()));
    // The claim first: a retry after a crash behind the data write recognises the version by it.
    snapshot.custom.claim = record;
    writeCustom(snapshot);
    ObjectNode data = dataOf(secret, value, versionId);
    Integer number = null;
    for (int attempt = 0; attempt < CAS_ATTEMPTS && number == null; attempt++) {
      try {
        number = vault.write(snapshot.path, snapshot.currentVersion, data);
      } catch (CheckAndSetConflict e) {
        snapshot = read(secret);
        Optional<View> ours = snapshot.find(versionId);
        if (ours.isPresent()) {
          number = ours.get().number; // our own write, whose answer was lost
        } else {
          requireNoOtherPending(secret, snapshot, versionId);
        }
      }
    }
    if (number == null) {
      throw new SecretStoreException(
          RotationErrors.SECRET_STORE_UNAVAILABLE,
          "version "
              + versionId
              + " of "
              + secret
              + " was not written: another writer kept writing "
              + snapshot.path
              + " (check-and-set refused "
              + CAS_ATTEMPTS
              + " times)");
    }
    snapshot.custom.records.put(number, record);
    snapshot.custom.labels.put(Label.PENDING, number);
    snapshot.custom.claim = null;
    writeCustom(snapshot);
    return describe(secret)
        .version(versionId)
        .orElseThrow(
            () ->
                notFound(
                    "version "
                        + versionId
                        + " of "
                        + secret
                        + " vanished right after it was created"));
  }

  /**
   * Records {@code metadata} in the version's record in {@code custom_metadata} (keys it has keep
   * their values) and pins the CURRENT label an adopted secret's latest version is read with, so a
   * later write by another tool does not move it. No data version is written.
   */
  @Override
  public void annotate(String secret, String versionId, Map<String, String> metadata) {
    for (String key : metadata.keySet()) {
      if (RESERVED.contains(key)) {
        throw invalid(
            "metadata " + key + " of " + secret + " is reserved for the version's record");
      }
    }
    Snapshot snapshot = read(secret);
    View version = snapshot.get(versionId);
    requireActive(secret, version, "record metadata on");
    Map<String, String> record =
        snapshot.custom.records.computeIfAbsent(
            version.number,
            n -> {
              Map<String, String> fresh = new LinkedHashMap<>();
              fresh.put(CustomMetadata.ID, versionId);
              return fresh;
            });
    Map<String, String> before = new LinkedHashMap<>(record);
    metadata.forEach(record::putIfAbsent);
    if (!record.equals(before) || snapshot.currentPinnedOnRead) {
      writeCustom(snapshot);
    }
  }

  @Override
  public void moveCurrent(String secret, String versionId) {
    Snapshot snapshot = read(secret);
    View target = snapshot.get(versionId);
    requireActive(secret, target, "promote");
    Map<Label, Integer> labels = snapshot.custom.labels;
    if (!target.labels.contains(Label.CURRENT)) {
      Integer current = labels.get(Label.CURRENT);
      labels.remove(Label.PREVIOUS);
      if (current != null) {
        labels.put(Label.PREVIOUS, current);
      }
      labels.put(Label.CURRENT, target.number);
    } else if (!target.labels.contains(Label.PENDING)) {
      return;
    }
    labels.remove(Label.PENDING, target.number);
    writeCustom(snapshot);
  }

  @Override
  public void restoreLabels(String secret, String currentVersionId, String previousVersionId) {
    requireName(currentVersionId, "the version to make CURRENT again of " + secret);
    if (currentVersionId.equals(previousVersionId)) {
      throw invalid(
          "cannot put CURRENT and PREVIOUS on the same version "
              + currentVersionId
              + " of "
              + secret);
    }
    Snapshot snapshot = read(secret);
    View current = snapshot.get(currentVersionId);
    requireActive(secret, current, "put CURRENT on");
    View previous = previousVersionId == null ? null : snapshot.get(previousVersionId);
    if (previous != null) {
      requireActive(secret, previous, "put PREVIOUS on");
    }
    Map<Label, Integer> labels = snapshot.custom.labels;
    Map<Label, Integer> before = new LinkedHashMap<>(labels);
    labels.put(Label.CURRENT, current.number);
    labels.remove(Label.PENDING, current.number);
    if (previous == null) {
      labels.remove(Label.PREVIOUS);
    } else {
      labels.put(Label.PREVIOUS, previous.number);
      labels.remove(Label.PENDING, previous.number);
    }
    if (!labels.equals(before)) {
      writeCustom(snapshot);
    }
  }

  @Override
  public void discard(String secret, String versionId) {
    Snapshot snapshot;
    try {
      snapshot = read(secret);
    } catch (SecretStoreException e) {
      if (e.error() == RotationErrors.VERSION_NOT_FOUND) {
        return;
      }
      throw e;
    }
    Optional<View> version = snapshot.find(versionId);
    if (version.isEmpty() || version.get().status == VersionStatus.DISCARDED) {
      return;
    }
    retire(secret, snapshot, version.get(), VersionStatus.DISCARDED, "discard", null);
  }

  @Override
  public void revoke(String secret, String versionId, String rotationId) {
    Snapshot snapshot = read(secret);
    View version = snapshot.get(versionId);
    if (version.status == VersionStatus.REVOKED) {
      return;
    }
    retire(secret, snapshot, version, VersionStatus.REVOKED, "revoke", rotationId);
  }

  // Undelete first, record second: a crash between them leaves a restored version still recorded
  // as revoked, which reads (and decrypts) as revoked until the retry rewrites the record.
  @Override
  public void unrevoke(String secret, String versionId, String rotationId) {
    requireName(rotationId, "the rotation that revoked version " + versionId + " of " + secret);
    Snapshot snapshot = read(secret);
    View version = snapshot.get(versionId);
    if (version.status == VersionStatus.ACTIVE) {
      return;
    }
    if (version.status == VersionStatus.DISCARDED) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot un-revoke the discarded version " + versionId + " of " + secret);
    }
    Map<String, String> record = snapshot.custom.records.get(version.number);
    String revokedBy = record == null ? null : record.get(CustomMetadata.REVOKED_BY);
    if (!rotationId.equals(revokedBy)) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "version "
              + versionId
              + " of "
              + secret
              + " was revoked by "
              + (revokedBy == null ? "an unrecorded rotation" : "rotation " + revokedBy)
              + ", not by rotation "
              + rotationId);
    }
    vault.undelete(snapshot.path, version.number);
    record.remove(CustomMetadata.STATUS);
    record.put(CustomMetadata.UNREVOKED_BY, rotationId);
    record.put(CustomMetadata.AT, clock.instant().toString());
    snapshot.custom.labels.putIfAbsent(Label.PREVIOUS, version.number);
    writeCustom(snapshot);
  }

  @Override
  public void stage(String secret, byte[] value) {
    requireName(secret, "a secret name");
    if (value == null || value.length == 0) {
      throw invalid("the staged value of " + secret + " is empty");
    }
    vault.write(STAGED_PREFIX + secret, null, Map.of(VALUE, encodeValue(secret, value)));
  }

  @Override
  public byte[] staged(String secret) {
    try {
      return decodeValue(secret, vault.data(STAGED_PREFIX + secret, 0).path(VALUE), "staged");
    } catch (Missing e) {
      return null;
    }
  }

  @Override
  public void clearStaged(String secret) {
    try {
      vault.deleteLatest(STAGED_PREFIX + secret);
    } catch (Missing e) {
      // Nothing was ever staged.
    }
  }

  @Override
  public String toString() {
    return "VaultKvStore("
        + config.address()
        + ", "
        + config.mount()
        + ", "
        + secrets.keySet()
        + ")";
  }

  // Delete first, record second: a crash between them leaves a deleted version still recorded as
  // active and labelled, which a retry deletes again (Vault's delete is idempotent) and records.
  private void retire(
      String secret,
      Snapshot snapshot,
      View version,
      VersionStatus status,
      String verb,
      String rotationId) {
    if (version.labels.contains(Label.CURRENT)) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot " + verb + " the current version " + version.id + " of " + secret);
    }
    requireActive(secret, version, verb);
    vault.delete(snapshot.path, version.number);
    Map<String, String> record =
        snapshot.custom.records.computeIfAbsent(
            version.number,
            n -> {
              Map<String, String> fresh = new LinkedHashMap<>();
              fresh.put(CustomMetadata.ID, version.id);
              return fresh;
            });
    record.remove(CustomMetadata.UNREVOKED_BY);
    record.put(CustomMetadata.STATUS, status.name());
    record.put(CustomMetadata.AT, clock.instant().toString());
    if (rotationId != null) {
      record.put(CustomMetadata.REVOKED_BY, rotationId);
    }
    snapshot.custom.labels.values().removeIf(n -> n == version.number);
    writeCustom(snapshot);
  }

  private void writeCustom(Snapshot snapshot) {
    snapshot.custom.prune(snapshot.secret, new ArrayList<>(snapshot.versions.keySet()));
    vault.writeCustomMetadata(snapshot.path, snapshot.custom.toMap(snapshot.secret));
  }

  private void requireSameValue(String secret, Snapshot snapshot, View existing, byte[] value) {
    byte[] stored;
    try {
      stored = storedValue(secret, vault.data(snapshot.path, existing.number), existing.id);
    } catch (Missing e) {
      throw new SecretStoreException(
          RotationErrors.IDEMPOTENCY_CONFLICT,
          "version "
              + existing.id
              + " of "
              + secret
              + " exists and is deleted in Vault, so its value cannot be compared");
    }
    try {
      if (!sameValue(secret, stored, value)) {
        throw new SecretStoreException(
            RotationErrors.IDEMPOTENCY_CONFLICT,
            "version " + existing.id + " of " + secret + " exists with a different value");
      }
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
  }

  private static void requireNoOtherPending(String secret, Snapshot snapshot, String versionId) {
    Optional<View> pending =
        snapshot.all().stream().filter(v -> v.labels.contains(Label.PENDING)).findFirst();
    if (pending.isPresent()) {
      throw new SecretStoreException(
          RotationErrors.STALE_PENDING,
          "version "
              + pending.get().id
              + " of "
              + secret
              + " already carries PENDING; version "
              + versionId
              + " is not created until a human resolves it");
    }
  }

  private SecretEncoding encoding(String secret) {
    SecretConfig config = secrets.get(secret);
    return config == null ? SecretEncoding.RAW : config.encoding();
  }

  /** A version's value in the form the secret's encoding reads: see the class comment. */
  private byte[] storedValue(String secret, JsonNode data, String versionId) {
    return switch (encoding(secret)) {
      case RAW -> decodeValue(secret, data.path(VALUE), versionId);
      case BASE64 -> {
        if (!data.path(VALUE).isTextual()) {
          throw new SecretStoreException(
              RotationErrors.INVALID_CONFIGURATION,
              "version "
                  + versionId
                  + " of "
                  + secret
                  + " in Vault has no text field \""
                  + VALUE
                  + "\"");
        }
        yield data.path(VALUE).asText().getBytes(StandardCharsets.UTF_8);
      }
      case JSON_FIELD -> {
        ObjectNode object =
            data.isObject() ? ((ObjectNode) data).deepCopy() : JSON.createObjectNode();
        object.remove(VERSION_ID);
        yield object.toString().getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  /**
   * The data object of a new version: the value in its secret's form, and the version id marker.
   */
  private ObjectNode dataOf(String secret, byte[] value, String versionId) {
    ObjectNode data =
        switch (encoding(secret)) {
          case RAW -> JSON.createObjectNode().put(VALUE, encodeValue(secret, value));
          case BASE64 ->
              JSON.createObjectNode().put(VALUE, new String(value, StandardCharsets.UTF_8));
          case JSON_FIELD -> jsonObject(secret, value, versionId);
        };
    data.put(VERSION_ID, versionId);
    return data;
  }

  // A JSON_FIELD value compares as JSON: Vault does not keep the order of a version's fields.
  private boolean sameValue(String secret, byte[] stored, byte[] value) {
    if (encoding(secret) == SecretEncoding.JSON_FIELD) {
      return jsonObject(secret, stored, "stored").equals(jsonObject(secret, value, "new"));
    }
    return MessageDigest.isEqual(stored, value);
  }

  private static ObjectNode jsonObject(String secret, byte[] value, String versionId) {
    try {
      JsonNode node = JSON.readTree(value);
      if (node != null && node.isObject()) {
        return (ObjectNode) node;
      }
    } catch (IOException e) {
      // Not chained: the parser's message quotes the value.
    }
    throw invalid("the value of version " + versionId + " of " + secret + " is not a JSON object");
  }

  private String encodeValue(String secret, byte[] value) {
    return isText(secret)
        ? new String(value, StandardCharsets.UTF_8)
        : Base64.getEncoder().encodeToString(value);
  }

  private byte[] decodeValue(String secret, JsonNode field, String versionId) {
    if (!field.isTextual()) {
      throw new SecretStoreException(
          RotationErrors.INVALID_CONFIGURATION,
          "version "
              + versionId
              + " of "
              + secret
              + " in Vault has no text field \""
              + VALUE
              + "\"");
    }
    if (isText(secret)) {
      return field.asText().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(field.asText().strip());
    } catch (IllegalArgumentException e) {
      throw new SecretStoreException(
          RotationErrors.INVALID_CONFIGURATION,
          "version "
              + versionId
              + " of "
              + secret
              + " in Vault: field \""
              + VALUE
              + "\" is not base64");
    }
  }

  private boolean isText(String secret) {
    SecretConfig config = secrets.get(secret);
    return config != null && config.kind() == SecretKind.API_KEY;
  }

  private Snapshot readOrEmpty(String secret) {
    try {
      return read(secret);
    } catch (SecretStoreException e) {
      if (e.error() != RotationErrors.VERSION_NOT_FOUND) {
        throw e;
      }
      return new Snapshot(
          secret, config.path(secret), 0, new TreeMap<>(), CustomMetadata.parse(Map.of()));
    }
  }

  private Snapshot read(String secret) {
    String path = config.path(secret);
    JsonNode metadata;
    try {
      metadata = vault.metadata(path);
    } catch (Missing e) {
      throw notFound(
          "secret " + secret + " does not exist in Vault at " + config.mount() + "/" + path);
    }
    TreeMap<Integer, Instant[]> versions = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = metadata.path("versions").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      JsonNode v = entry.getValue();
      if (!v.path("destroyed").asBoolean(false) && entry.getKey().matches("[0-9]{1,9}")) {
        String deleted = v.path("deletion_time").asText("");
        versions.put(
            Integer.parseInt(entry.getKey()),
            new Instant[] {
              instant(v.path("created_time").asText("")),
              deleted.isEmpty() ? null : instant(deleted)
            });
      }
    }
    Map<String, String> custom = new LinkedHashMap<>();
    metadata
        .path("custom_metadata")
        .fields()
        .forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
    Snapshot snapshot =
        new Snapshot(
            secret,
            path,
            metadata.path("current_version").asInt(0),
            versions,
            CustomMetadata.parse(custom));
    snapshot.reconcileClaim();
    snapshot.pinCurrent();
    return snapshot;
  }

  private static Instant instant(String text) {
    try {
      return text.isEmpty() ? null : Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void requireActive(String secret, View version, String verb) {
    if (version.status != VersionStatus.ACTIVE) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot "
              + verb
              + " the "
              + version.status.name().toLowerCase(Locale.ROOT)
              + " version "
              + version.id
              + " of "
              + secret);
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw invalid(what + " is missing");
    }
  }

  private static SecretStoreException notFound(String message) {
    return new SecretStoreException(RotationErrors.VERSION_NOT_FOUND, message);
  }

  private static SecretStoreException invalid(String message) {
    return new SecretStoreException(RotationErrors.INVALID_REQUEST, message);
  }

  /** One Vault version as Breakglass sees it. */
  private record View(
      int number, String id, Set<Label> labels, VersionStatus status, SecretVersion version) {}

  /** A secret's metadata as read: Vault's versions and Breakglass's records. */
  private final class Snapshot {
    final String secret;
    final String path;
    final int currentVersion;

    /** Live (not destroyed) versions: created and deletion time. */
    final TreeMap<Integer, Instant[]> versions;

    final CustomMetadata custom;

    /** Whether CURRENT was put on the latest version on reading, not read from the metadata. */
    boolean currentPinnedOnRead;

    private List<View> views;

    Snapshot(
        String secret,
        String path,
        int currentVersion,
        TreeMap<Integer, Instant[]> versions,
        CustomMetadata custom) {
      this.secret = secret;
      this.path = path;
      this.currentVersion = currentVersion;
      this.versions = versions;
      this.custom = custom;
    }

    /**
     * A claim whose version was written but not recorded (a crash between the two writes): the
     * newest unrecorded versions are checked for the claimed id in their data, and the one that
     * carries it gets the claimed record and PENDING.
     */
    void reconcileClaim() {
      Map<String, String> claim = custom.claim;
      if (claim == null) {
        return;
      }
      String id = claim.get(CustomMetadata.ID);
      if (custom.records.values().stream()
          .anyMatch(r -> id != null && id.equals(r.get(CustomMetadata.ID)))) {
        custom.claim = null;
        return;
      }
      int recorded = custom.records.isEmpty() ? 0 : custom.records.lastKey();
      int checked = 0;
      for (Integer number : versions.descendingKeySet()) {
        if (number <= recorded || checked++ >= CAS_ATTEMPTS) {
          break;
        }
        if (versions.get(number)[1] != null) {
          continue;
        }
        String marker;
        try {
          marker = vault.data(path, number).path(VERSION_ID).asText(null);
        } catch (Missing e) {
          continue;
        }
        if (id != null && id.equals(marker)) {
          custom.records.put(number, new LinkedHashMap<>(claim));
          custom.labels.putIfAbsent(Label.PENDING, number);
          custom.claim = null;
          return;
        }
      }
    }

    /**
     * Without Breakglass's CURRENT (an adopted secret), the latest live unlabelled version is
     * CURRENT.
     */
    void pinCurrent() {
      if (custom.labels.containsKey(Label.CURRENT)) {
        return;
      }
      for (Integer number : versions.descendingKeySet()) {
        Map<String, String> record = custom.records.get(number);
        boolean retired = record != null && record.containsKey(CustomMetadata.STATUS);
        if (versions.get(number)[1] == null && !retired && !custom.labels.containsValue(number)) {
          custom.labels.put(Label.CURRENT, number);
          currentPinnedOnRead = true;
          return;
        }
      }
    }

    int nextSequence() {
      return Math.max(custom.highestSequence(), versions.isEmpty() ? 0 : versions.size()) + 1;
    }

    /** Every live version, oldest first. */
    List<View> all() {
      if (views == null) {
        views = new ArrayList<>();
        versions.forEach((number, times) -> views.add(view(number, times[0])));
      }
      return views;
    }

    List<SecretVersion> views() {
      return all().stream().map(View::version).toList();
    }

    private View view(int number, Instant createdAt) {
      Map<String, String> record = custom.records.getOrDefault(number, Map.of());
      String id = record.getOrDefault(CustomMetadata.ID, Integer.toString(number));
      EnumSet<Label> labels = EnumSet.noneOf(Label.class);
      custom.labels.forEach(
          (label, n) -> {
            if (n == number) {
              labels.add(label);
            }
          });
      String status = record.get(CustomMetadata.STATUS);
      VersionStatus versionStatus =
          status == null ? VersionStatus.ACTIVE : VersionStatus.valueOf(status);
      Map<String, String> metadata = new LinkedHashMap<>(record);
      metadata.remove(CustomMetadata.ID);
      metadata.remove(CustomMetadata.STATUS);
      String at = metadata.remove(CustomMetadata.AT);
      SecretVersion version =
          new SecretVersion(
              id,
              Set.copyOf(labels),
              versionStatus,
              Map.copyOf(metadata),
              createdAt,
              at == null ? null : instant(at));
      return new View(number, id, labels, versionStatus, version);
    }

    Optional<View> find(String versionId) {
      return all().stream().filter(v -> v.id.equals(versionId)).findFirst();
    }

    View get(String versionId) {
      return find(versionId)
          .orElseThrow(
              () -> notFound("version " + versionId + " of " + secret + " does not exist"));
    }

    int number(String versionId) {
      return get(versionId).number;
    }
  }
}
