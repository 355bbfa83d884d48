package io.breakglass.activities.verify;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SmokeCheckKind;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.activities.secrets.OperatorValueProbe;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.VerificationActivities;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.SecretKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link VerificationActivities}: full scans, the smoke test (the storage-level canary, each
 * rotated secret's coverage by configured checks, then the configured HTTP checks) and the refusal
 * check after REVOKE. Writes nothing to the data sets (HTTP checks write what they are configured
 * to, through the service).
 */
public final class VerificationActivitiesImpl implements VerificationActivities {

  /** How many of a data set's newest items the smoke test reads. */
  static final int NEWEST_ITEMS = 20;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] CANARY_BINDING = "breakglass-canary".getBytes(StandardCharsets.UTF_8);

  private final RotationSettings settings;
  private final ProtectedDataSets dataSets;
  private final SecretStore store;
  private final HttpSmokeChecks httpChecks;
  private final CommandSmokeCheck commandChecks;
  private final KubernetesJobSmokeCheck jobChecks;

  private final OperatorValueProbe probe = new OperatorValueProbe();

  /**
   * @param store where keys are read, through a fresh keyring per call (so a revoke is seen)
   */
  public VerificationActivitiesImpl(
      RotationSettings settings, ProtectedDataSets dataSets, SecretStore store) {
    this(settings, dataSets, store, null, System::getenv, Duration.ofSeconds(2));
  }

  /**
   * @param kubernetes the client {@code kubernetes-job} checks create their Jobs with; null when
   *     the worker has none (such a check then fails, saying so)
   * @param environment where {@code command} checks read the variables they pass through
   * @param jobPoll how often a {@code kubernetes-job} check reads its Job's status
   */
  public VerificationActivitiesImpl(
      RotationSettings settings,
      ProtectedDataSets dataSets,
      SecretStore store,
      KubernetesClient kubernetes,
      Function<String, String> environment,
      Duration jobPoll) {
    this.settings = settings;
    this.dataSets = dataSets;
    this.store = store;
    this.httpChecks = new HttpSmokeChecks(store, Clock.systemUTC());
    this.commandChecks = new CommandSmokeCheck(environment);
    this.jobChecks = new KubernetesJobSmokeCheck(kubernetes, jobPoll);
  }

  @Override
  public ScanReport scan(ScanRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ProtectedDataSet dataSet = dataSets.get(request.dataSet());
    try {
      return new DataSetScanner(
              dataSet.name(), dataSet.store(), dataSet.codec(), new StoreKeyring(store))
          .scan(request.maxListed(), context::heartbeat);
    } catch (DataStoreException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(e.getMessage());
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
  }

  @Override
  public SmokeReport smokeTest(SmokeTestRequest request) {
    Keyring keyring = new StoreKeyring(store);
    List<CheckResult> checks = new ArrayList<>();
    for (NewVersion version : request.versions()) {
      SecretConfig secret = configured(version);
      switch (secret.kind()) {
        case DATA_KEY -> checks.add(dataKeyCanary(version, keyring));
        case SIGNING_SECRET -> checks.add(signingCanary(version));
        case API_KEY -> {
          // An API key protects no stored data; its check is a call to its provider.
          if (secret.operatorValueCheck() != null) {
            checks.add(providerCheck(secret, version));
          }
        }
      }
    }
    for (String name : request.dataSets()) {
      checks.add(newestItems(dataSets.get(name), request.versions(), keyring));
    }
    for (NewVersion version : request.versions()) {
      checks.add(coverage(configured(version)));
    }
    Runnable heartbeat = heartbeat();
    checks.addAll(
        httpChecks.run(
            settings.smokeChecks(),
            request.versions(),
            check ->
                check.kind() == SmokeCheckKind.COMMAND
                    ? commandChecks.run(check, heartbeat)
                    : jobChecks.run(check, heartbeat)));
    return new SmokeReport(checks);
  }

  @Override
  public SmokeReport refusalCheck(SmokeTestRequest request) {
    List<CheckResult> checks =
        new ArrayList<>(httpChecks.runRevoked(settings.smokeChecks(), request.versions()));
    for (NewVersion version : request.versions()) {
      SecretConfig secret = configured(version);
      boolean checked =
          settings.smokeChecks().stream()
              .anyMatch(c -> c.jwt() != null && c.jwt().secret().equals(secret.name()));
      if (secret.kind() == SecretKind.SIGNING_SECRET && !checked) {
        String reason = secret.noSmokeCheckReason();
        checks.add(
            new CheckResult(
                "revoked " + secret.name(),
                true,
                "not checked: no smoke check sends a token signed with "
                    + secret.name()
                    + (reason == null ? "" : "; allowed by configuration (" + reason + ")")));
      }
    }
    return new SmokeReport(checks);
  }

  /** Heartbeats of this activity; nothing outside one (a check run directly, e.g. by a test). */
  private static Runnable heartbeat() {
    try {
      ActivityExecutionContext context = Activity.getExecutionContext();
      return () -> context.heartbeat(null);
    } catch (IllegalStateException notInAnActivity) {
      return () -> {};
    }
  }

  /**
   * The new version, CURRENT now, answers its provider's check as it did when supplied. The value
   * goes only into the configured header; the result names the endpoint and status.
   */
  private CheckResult providerCheck(SecretConfig secret, NewVersion version) {
    String name = RotationSettings.providerCheckName(secret.name());
    byte[] value;
    try {
      value = store.material(secret.name(), version.versionId());
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
    try {
      probe.check(secret.name(), secret.operatorValueCheck(), value);
      return new CheckResult(
          name,
          true,
          "version "
              + version.versionId()
              + " accepted by "
              + secret.operatorValueCheck().method()
              + " "
              + secret.operatorValueCheck().url().getPath());
    } catch (ApplicationFailure refused) {
      return new CheckResult(name, false, refused.getOriginalMessage());
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  private SecretConfig configured(NewVersion version) {
    return settings
        .secret(version.secret())
        .orElseThrow(
            () -> RotationErrors.UNKNOWN_SECRET.failure(version.secret() + " is not configured"));
  }

  /**
   * No smoke test passes on nothing: which configured checks cover the secret, or the reason the
   * configuration gives for having none; without either the smoke test fails.
   */
  private CheckResult coverage(SecretConfig secret) {
    String name = "coverage " + secret.name();
    List<String> covering = settings.smokeChecksCovering(secret.name());
    if (!covering.isEmpty()) {
      return new CheckResult(name, true, "covered by " + String.join(", ", covering));
    }
    String reason = secret.noSmokeCheckReason();
    return reason != null
        ? new CheckResult(
            name,
            true,
            "no smoke check configured for "
                + secret.name()
                + ": allowed by configuration ("
                + reason
                + ")")
        : new CheckResult(
            name,
            false,
            "no smoke check configured for "
                + secret.name()
                + ", and its configuration does not allow that"
                + " (smoke.allowNoChecks)");
  }

  /** Encrypts and decrypts a random canary under the new version, in both envelope forms. */
  private CheckResult dataKeyCanary(NewVersion version, Keyring keyring) {
    KeyId kid = new KeyId(version.secret(), version.versionId());
    String name = "canary " + version.secret();
    byte[] canary = new byte[64];
    RANDOM.nextBytes(canary);
    EnvelopeCipher cipher = new EnvelopeCipher();
    try {
      for (EnvelopeCodec codec : List.of(new JsonEnvelopeCodec(), new BinaryEnvelopeCodec())) {
        Envelope sealed = cipher.encrypt(kid, keyring.key(kid), canary, CANARY_BINDING);
        Envelope read = codec.decode(codec.encode(sealed));
        if (!read.keyId().equals(kid)
            || !Arrays.equals(cipher.decrypt(read, keyring, CANARY_BINDING), canary)) {
          return new CheckResult(name, false, "canary did not round-trip under " + kid);
        }
      }
      return new CheckResult(
          name, true, "round trip under " + kid + " through the secret store, JSON and binary");
    } catch (EnvelopeException e) {
      return new CheckResult(name, false, e.getMessage());
    }
  }

  /**
   * Signs a random canary with the new signing secret and checks that the signature verifies under
   * it and not under the version it replaces (the secret really changed).
   */
  private CheckResult signingCanary(NewVersion version) {
    String name = "canary " + version.secret();
    byte[] canary = new byte[32];
    RANDOM.nextBytes(canary);
    byte[] fresh = null;
    byte[] replaced = null;
    try {
      fresh = store.material(version.secret(), version.versionId());
      replaced = store.material(version.secret(), version.replacedVersionId());
      byte[] signature = hmac(fresh, canary);
      boolean verifies = MessageDigest.isEqual(signature, hmac(fresh, canary));
      boolean changed = !MessageDigest.isEqual(signature, hmac(replaced, canary));
      return new CheckResult(
          name,
          verifies && changed,
          "HMAC-SHA256 canary under version "
              + version.versionId()
              + (verifies ? " verifies" : " does NOT verify")
              + (changed
                  ? "; the replaced version's signature differs"
                  : "; the secret did NOT change"));
    } catch (SecretStoreException e) {
      return new CheckResult(name, false, e.getMessage());
    } finally {
      if (fresh != null) {
        Arrays.fill(fresh, (byte) 0);
      }
      if (replaced != null) {
        Arrays.fill(replaced, (byte) 0);
      }
    }
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }

  /** The newest items of a data set are under the new key id and decrypt. */
  private CheckResult newestItems(
      ProtectedDataSet dataSet, List<NewVersion> versions, Keyring keyring) {
    String name = "newest " + dataSet.name();
    NewVersion version =
        versions.stream()
            .filter(v -> v.secret().equals(dataSet.secret()))
            .findFirst()
            .orElseThrow(
                () ->
                    RotationErrors.INVALID_REQUEST.failure(
                        "no new version of " + dataSet.secret()));
    KeyId kid = new KeyId(dataSet.secret(), version.versionId());
    List<StoredItem> newest;
    try {
      newest = dataSet.store().newest(NEWEST_ITEMS);
    } catch (DataStoreException e) {
      throw RotationErrors.DATA_STORE_UNAVAILABLE.failure(e.getMessage());
    }
    EnvelopeCipher cipher = new EnvelopeCipher();
    for (StoredItem item : newest) {
      try {
        Envelope envelope = dataSet.codec().decode(item.value());
        KeyId under =
            envelope.keyId() != null
                ? envelope.keyId()
                : cipher
                    .open(envelope, keyring, dataSet.store().associatedData(item.key()))
                    .keyId();
        if (!under.equals(kid)) {
          return new CheckResult(
              name, false, "item " + item.key() + " is under " + under + ", not " + kid);
        }
        cipher.decrypt(envelope, keyring, dataSet.store().associatedData(item.key()));
      } catch (EnvelopeException e) {
        return new CheckResult(name, false, "item " + item.key() + ": " + e.reason());
      }
    }
    return new CheckResult(
        name, true, newest.size() + " newest item(s) hold envelopes under " + kid);
  }
}
