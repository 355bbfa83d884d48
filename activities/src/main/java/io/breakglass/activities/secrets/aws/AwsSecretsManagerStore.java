package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.secrets.aws.SecretsManagerCalls.Exists;
import io.breakglass.activities.secrets.aws.SecretsManagerCalls.Missing;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * {@link SecretStore} on AWS Secrets Manager. Labels are the staging labels AWSCURRENT, AWSPENDING
 * and AWSPREVIOUS; a version id is the {@code ClientRequestToken} it was put with (Breakglass's
 * version ids are UUIDs derived from the rotation id, within the 32-64 characters AWS accepts), so
 * a retry after a crash finds the version instead of making another. {@code DeleteSecret} is never
 * called.
 *
 * <ul>
 *   <li><b>Metadata and status</b> live in the secret's tags ({@link VersionTags}), one per
 *       version: AWS has neither per version. Reading them needs no secret value, so {@link
 *       #describe} never reads material. AWS allows 50 tags per secret, so before a version gets a
 *       tag the oldest retired versions give theirs up ({@link TagBudget}). A version without
 *       labels and without a tag reads as REVOKED: before any label moves, a labelled version
 *       without a tag (made by another tool) gets an empty one, so only a retired version whose tag
 *       was given up, or one another tool left unlabelled (deprecated to AWS), reads so.
 *   <li><b>Discard and revoke</b> take every label off the version, then tag it. A version without
 *       labels is "deprecated" to AWS, which deletes deprecated versions only when a secret holds
 *       more than 100 versions (never ones younger than 24 hours): at a rotation every few weeks,
 *       years of recovery window. A custom label per retired version would keep it forever, but AWS
 *       allows 20 labels per secret across all versions, which a long-lived secret would exhaust.
 *   <li><b>Values</b>: API keys, and values kept BASE64 or as a JSON_FIELD, are written as
 *       SecretString (applications read them as text), other keys as SecretBinary; values put in by
 *       other tools are read from either.
 *   <li><b>Operator-supplied values</b> are staged in a secret of their own, {@code
 *       breakglass/staged/<secret>}, as the version labelled {@value #STAGED_LABEL}, never in the
 *       rotated secret (whose versions applications list) and never through Temporal. An operator
 *       may also put the value there directly: {@code aws secretsmanager put-secret-value
 *       --secret-id breakglass/staged/openai --secret-string ... --version-stages
 *       BREAKGLASS_STAGED}.
 *   <li><b>The first version of a new secret</b> also gets AWSCURRENT: AWS attaches it to the first
 *       version whatever labels the call asks for.
 * </ul>
 *
 * <p>Between reading the labels and moving one, another writer could move it: Secrets Manager has
 * no compare-and-set on labels, and {@code RemoveFromVersionId} makes a move fail rather than take
 * a label from a version it no longer sits on.
 */
public final class AwsSecretsManagerStore implements SecretStore {

  /** Where operator-supplied values wait: {@code breakglass/staged/<secret>}. */
  public static final String STAGED_PREFIX = "breakglass/staged/";

  /** The label of the staged value within its staging secret. */
  public static final String STAGED_LABEL = "BREAKGLASS_STAGED";

  static final String CURRENT = "AWSCURRENT";
  static final String PENDING = "AWSPENDING";
  static final String PREVIOUS = "AWSPREVIOUS";
  private static final Map<String, Label> LABELS =
      Map.of(CURRENT, Label.CURRENT, PENDING, Label.PENDING, PREVIOUS, Label.PREVIOUS);

  private final SecretsManagerCalls aws;
  private final Map<String, SecretConfig> secrets;
  private final Clock clock;
  private final TagBudget tagBudget;

  /**
   * @param client the Secrets Manager client (region, endpoint and credentials already set)
   * @param secrets the configured secrets, for their AWS ids and kinds; any other name is its own
   *     AWS id and holds binary values
   */
  public AwsSecretsManagerStore(
      SecretsManagerClient client, List<SecretConfig> secrets, Clock clock) {
    this(client, secrets, clock, TagBudget.AWS);
  }

  /**
   * @param tagBudget how many version tags to keep on one secret
   */
  AwsSecretsManagerStore(
      SecretsManagerClient client, List<SecretConfig> secrets, Clock clock, TagBudget tagBudget) {
    this.aws = new SecretsManagerCalls(client);
    this.secrets =
        secrets.stream().collect(Collectors.toMap(SecretConfig::name, Function.identity()));
    this.clock = clock;
    this.tagBudget = tagBudget;
  }

  @Override
  public SecretState describe(String secret) {
    return read(secret).state(secret);
  }

  @Override
  public byte[] material(String secret, String versionId) {
    try {
      return aws.value(awsId(secret), versionId);
    } catch (Missing e) {
      throw notFound("version " + versionId + " of " + secret + " does not exist");
    }
  }

  @Override
  public SecretVersion createPending(
      String secret, String versionId, byte[] value, Map<String, String> metadata) {
    requireName(secret, "a secret name");
    if (secret.indexOf(':') >= 0) {
      throw invalid("secret name " + secret + " contains ':'");
    }
    requireName(versionId, "a version id of " + secret);
    if (versionId.length() < 32 || versionId.length() > 64) {
      throw invalid(
          "version id "
              + versionId
              + " of "
              + secret
              + " is not a Secrets Manager ClientRequestToken (32-64 characters)");
    }
    if (value == null || value.length == 0) {
      throw invalid("version " + versionId + " of " + secret + " needs a non-empty value");
    }
    Versions versions = readOrCreate(secret);
    Optional<ListedVersion> existing = versions.find(versionId);
    if (existing.isPresent()) {
      requireSameValue(secret, versionId, value);
      return existing.get().view();
    }
    Optional<ListedVersion> pending = versions.labelled(Label.PENDING);
    if (pending.isPresent()) {
      throw new SecretStoreException(
          RotationErrors.STALE_PENDING,
          "version "
              + pending.get().versionId()
              + " of "
              + secret
              + " already carries AWSPENDING; version "
              + versionId
              + " is not created until a human resolves it");
    }
    Map<String, String> stored = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
    stored.put(VersionTags.VERSION, Integer.toString(versions.nextNumber()));
    // The tag first: a retry that finds the version also finds its metadata.
    tag(secret, versions, List.of(VersionTags.created(secret, versionId, stored)));
    try {
      aws.put(
          awsId(secret), versionId, value, isText(secret) || isEncoded(secret), List.of(PENDING));
    } catch (Exists e) {
      throw conflict(secret, versionId);
    }
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

  // Another tool's version has no tag, or the empty one a label move gave it: its tag is written
  // with the metadata merged in; AWS itself keeps no metadata per version.
  @Override
  public void annotate(String secret, String versionId, Map<String, String> metadata) {
    Versions versions = read(secret);
    ListedVersion version = versions.get(versionId);
    requireActive(version, "record metadata on");
    Map<String, String> merged = new LinkedHashMap<>(versions.tags().metadata(versionId));
    metadata.forEach(merged::putIfAbsent);
    if (!merged.equals(versions.tags().metadata(versionId)) || !versions.tags().has(versionId)) {
      tag(secret, versions, List.of(VersionTags.created(secret, versionId, merged)));
    }
  }

  @Override
  public void moveCurrent(String secret, String versionId) {
    Versions versions = read(secret);
    ListedVersion target = versions.get(versionId);
    requireActive(target, "promote");
    if (!target.has(Label.CURRENT)) {
      tagUntracked(secret, versions);
      aws.move(awsId(secret), CURRENT, versionId, versions.holder(Label.CURRENT));
    }
    // Also when CURRENT already: a retry after a crash between the two calls finishes the job.
    if (target.has(Label.PENDING)) {
      aws.remove(awsId(secret), PENDING, versionId);
    }
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
    Versions versions = read(secret);
    requireActive(versions.get(currentVersionId), "put CURRENT on");
    if (previousVersionId != null) {
      requireActive(versions.get(previousVersionId), "put PREVIOUS on");
    }
    String previousHolder = versions.holder(Label.PREVIOUS);
    String currentHolder = versions.holder(Label.CURRENT);
    if (!currentVersionId.equals(currentHolder)
        || !Objects.equals(previousVersionId, previousHolder)) {
      tagUntracked(secret, versions);
    }
    if (!currentVersionId.equals(currentHolder)) {
      aws.move(awsId(secret), CURRENT, currentVersionId, currentHolder);
      // AWS moved AWSPREVIOUS to the version CURRENT left.
      previousHolder = currentHolder == null ? previousHolder : currentHolder;
    }
    if (previousVersionId != null && !previousVersionId.equals(previousHolder)) {
      aws.move(awsId(secret), PREVIOUS, previousVersionId, previousHolder);
    } else if (previousVersionId == null && previousHolder != null) {
      aws.remove(awsId(secret), PREVIOUS, previousHolder);
    }
  }

  @Override
  public void discard(String secret, String versionId) {
    Versions versions;
    try {
      versions = read(secret);
    } catch (SecretStoreException e) {
      if (e.error() == RotationErrors.VERSION_NOT_FOUND) {
        return;
      }
      throw e;
    }
    Optional<ListedVersion> version = versions.find(versionId);
    // A retired version whose tag was given up may have been this discarded one: nothing to do.
    if (version.isEmpty()
        || version.get().status() == VersionStatus.DISCARDED
        || version.get().untracked()) {
      return;
    }
    retire(secret, versions, version.get(), VersionStatus.DISCARDED, "discard", null);
  }

  @Override
  public void revoke(String secret, String versionId, String rotationId) {
    Versions versions = read(secret);
    ListedVersion version = versions.get(versionId);
    if (version.status() == VersionStatus.REVOKED) {
      return;
    }
    retire(secret, versions, version, VersionStatus.REVOKED, "revoke", rotationId);
  }

  // Label first, tag second: a crash between them leaves a labelled version whose tag still says
  // REVOKED, which reads (and decrypts) as revoked until the retry rewrites the tag.
  @Override
  public void unrevoke(String secret, String versionId, String rotationId) {
    requireName(rotationId, "the rotation that revoked version " + versionId + " of " + secret);
    Versions versions = read(secret);
    ListedVersion version = versions.get(versionId);
    if (version.status() == VersionStatus.ACTIVE) {
      return;
    }
    if (version.status() == VersionStatus.DISCARDED) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot un-revoke the discarded" + " version " + versionId + " of " + secret);
    }
    String revokedBy =
        version.untracked()
            ? null
            : versions.tags().metadata(versionId).get(VersionTags.REVOKED_BY);
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
    if (versions.holder(Label.PREVIOUS) == null) {
      tagUntracked(secret, versions);
      aws.move(awsId(secret), PREVIOUS, versionId, null);
    }
    tag(
        secret,
        versions,
        List.of(versions.tags().unrevoked(secret, versionId, clock.instant(), rotationId)));
  }

  @Override
  public void stage(String secret, byte[] value) {
    requireName(secret, "a secret name");
    if (value == null || value.length == 0) {
      throw invalid("the staged value of " + secret + " is empty");
    }
    String staging = STAGED_PREFIX + secret;
    String token = UUID.randomUUID().toString();
    try {
      aws.put(staging, token, value, isText(secret), List.of(STAGED_LABEL));
    } catch (Missing e) {
      createQuietly(staging);
      aws.put(staging, token, value, isText(secret), List.of(STAGED_LABEL));
    }
  }

  @Override
  public byte[] staged(String secret) {
    try {
      return aws.labelledValue(STAGED_PREFIX + secret, STAGED_LABEL);
    } catch (Missing e) {
      return null;
    }
  }

  @Override
  public void clearStaged(String secret) {
    String staging = STAGED_PREFIX + secret;
    try {
      aws.labelled(staging)
          .forEach(
              (versionId, labels) -> {
                if (labels.contains(STAGED_LABEL)) {
                  aws.remove(staging, STAGED_LABEL, versionId);
                }
              });
    } catch (Missing e) {
      // Nothing was ever staged.
    }
  }

  @Override
  public String toString() {
    return "AwsSecretsManagerStore(" + secrets.keySet() + ")";
  }

  /** The id Secrets Manager knows the secret by: its configured name or ARN. */
  String awsId(String secret) {
    SecretConfig config = secrets.get(secret);
    return config == null ? secret : config.awsSecretId();
  }

  private boolean isText(String secret) {
    SecretConfig config = secrets.get(secret);
    return config != null && config.kind() == SecretKind.API_KEY;
  }

  // Base64 and JSON are text: written as SecretString, as the application's own tools write them.
  private boolean isEncoded(String secret) {
    SecretConfig config = secrets.get(secret);
    return config != null && config.encoding() != SecretEncoding.RAW;
  }

  // Labels off first, tag second: a crash between them leaves an unlabelled ACTIVE version, which
  // a retry tags; the other order would leave a "retired" version that still carries labels.
  private void retire(
      String secret,
      Versions versions,
      ListedVersion version,
      VersionStatus status,
      String verb,
      String rotationId) {
    if (version.has(Label.CURRENT)) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot " + verb + " the current version " + version.versionId() + " of " + secret);
    }
    requireActive(version, verb);
    tagUntracked(secret, versions);
    for (String label : version.awsLabels()) {
      aws.remove(awsId(secret), label, version.versionId());
    }
    tag(
        secret,
        versions,
        List.of(
            versions
                .tags()
                .retired(secret, version.versionId(), status, clock.instant(), rotationId)));
  }

  // Room first: a crash after the untag only leaves retired versions without a tag, which read
  // as REVOKED; the retry finds the room and writes the tag.
  private void tag(String secret, Versions versions, List<Tag> tags) {
    List<String> versionIds =
        tags.stream().map(t -> t.key().substring(VersionTags.PREFIX.length())).toList();
    List<String> untag =
        tagBudget.toUntag(
            versions.tags(), versionIds, versions.idsOldestFirst(), versions.labelledIds());
    if (!untag.isEmpty()) {
      aws.untag(awsId(secret), untag.stream().map(VersionTags::key).toList());
    }
    aws.tag(awsId(secret), tags);
  }

  // Moving AWSCURRENT makes AWS take AWSPREVIOUS off a version, leaving it without labels; a
  // version without labels and without a tag reads as retired, so labelled versions made by other
  // tools get an empty tag before labels move.
  private void tagUntracked(String secret, Versions versions) {
    List<Tag> tags =
        versions.all().stream()
            .filter(v -> !v.labels().isEmpty() && !versions.tags().has(v.versionId()))
            .map(v -> VersionTags.created(secret, v.versionId(), Map.of()))
            .toList();
    if (!tags.isEmpty()) {
      tag(secret, versions, tags);
    }
  }

  private void requireSameValue(String secret, String versionId, byte[] value) {
    byte[] stored = aws.value(awsId(secret), versionId);
    try {
      if (!MessageDigest.isEqual(stored, value)) {
        throw conflict(secret, versionId);
      }
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
  }

  private Versions read(String secret) {
    String id = awsId(secret);
    try {
      return Versions.of(secret, aws.versions(id), new VersionTags(aws.tags(id)));
    } catch (Missing e) {
      throw notFound("secret " + secret + " (" + id + ") does not exist in AWS Secrets Manager");
    }
  }

  private Versions readOrCreate(String secret) {
    String id = awsId(secret);
    try {
      return read(secret);
    } catch (SecretStoreException e) {
      if (e.error() != RotationErrors.VERSION_NOT_FOUND || id.startsWith("arn:")) {
        throw e;
      }
    }
    createQuietly(id);
    return read(secret);
  }

  // Another worker may have created it first; either way it exists now.
  private void createQuietly(String name) {
    try {
      aws.create(name);
    } catch (Exists e) {
      // Created by the other one.
    }
  }

  private static void requireActive(ListedVersion version, String verb) {
    if (version.status() != VersionStatus.ACTIVE) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "cannot "
              + verb
              + " the "
              + version.status().name().toLowerCase(Locale.ROOT)
              + " version "
              + version.versionId()
              + " of "
              + version.secret());
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw invalid(what + " is missing");
    }
  }

  private static SecretStoreException conflict(String secret, String versionId) {
    return new SecretStoreException(
        RotationErrors.IDEMPOTENCY_CONFLICT,
        "version " + versionId + " of " + secret + " exists with a different value");
  }

  private static SecretStoreException notFound(String message) {
    return new SecretStoreException(RotationErrors.VERSION_NOT_FOUND, message);
  }

  private static SecretStoreException invalid(String message) {
    return new SecretStoreException(RotationErrors.INVALID_REQUEST, message);
  }

  /** One version as listed, with what its tags say. */
  private record ListedVersion(String secret, SecretVersionsListEntry entry, VersionTags tags) {

    String versionId() {
      return entry.versionId();
    }

    List<String> awsLabels() {
      return entry.versionStages();
    }

    boolean has(Label label) {
      return labels().contains(label);
    }

    Set<Label> labels() {
      EnumSet<Label> labels = EnumSet.noneOf(Label.class);
      entry.versionStages().stream().map(LABELS::get).filter(l -> l != null).forEach(labels::add);
      return labels;
    }

    // Breakglass leaves a version unlabelled only by retiring it; its tag may have been given up.
    VersionStatus status() {
      return untracked() ? VersionStatus.REVOKED : tags.status(versionId());
    }

    /** No label and no tag: retired, with what it was and when unknown. */
    boolean untracked() {
      return entry.versionStages().isEmpty() && !tags.has(versionId());
    }

    SecretVersion view() {
      return new SecretVersion(
          versionId(),
          Set.copyOf(labels()),
          status(),
          Map.copyOf(tags.metadata(versionId())),
          entry.createdDate(),
          tags.statusChangedAt(versionId()));
    }
  }

  /** Every version of a secret, oldest first. */
  private record Versions(String secret, List<ListedVersion> all, VersionTags tags) {

    static Versions of(String secret, List<SecretVersionsListEntry> entries, VersionTags tags) {
      return new Versions(
          secret,
          entries.stream()
              .sorted(
                  Comparator.comparing(
                      SecretVersionsListEntry::createdDate,
                      Comparator.nullsFirst(Comparator.naturalOrder())))
              .map(e -> new ListedVersion(secret, e, tags))
              .toList(),
          tags);
    }

    SecretState state(String name) {
      return new SecretState(name, all.stream().map(ListedVersion::view).toList());
    }

    Optional<ListedVersion> find(String versionId) {
      return all.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
    }

    ListedVersion get(String versionId) {
      return find(versionId)
          .orElseThrow(
              () -> notFound("version " + versionId + " of " + secret + " does not exist"));
    }

    Optional<ListedVersion> labelled(Label label) {
      return all.stream().filter(v -> v.has(label)).findFirst();
    }

    List<String> idsOldestFirst() {
      return all.stream().map(ListedVersion::versionId).toList();
    }

    Set<String> labelledIds() {
      return all.stream()
          .filter(v -> !v.awsLabels().isEmpty())
          .map(ListedVersion::versionId)
          .collect(Collectors.toSet());
    }

    String holder(Label label) {
      return labelled(label).map(ListedVersion::versionId).orElse(null);
    }

    // Tags outlive versions AWS removed; the count covers versions made by other tools.
    int nextNumber() {
      return Math.max(tags.highestVersion(), all.size()) + 1;
    }
  }
}
