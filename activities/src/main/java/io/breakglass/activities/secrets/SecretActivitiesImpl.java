package io.breakglass.activities.secrets;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.SecretKind;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link SecretActivities} on a {@link SecretStore}. New material is generated here and goes
 * straight into the store; only version ids leave.
 */
public final class SecretActivitiesImpl implements SecretActivities {

  /** Metadata keys recording the label state a version replaced, for an exact rollback. */
  static final String REPLACES = "replaces";

  static final String PRIOR_PREVIOUS = "priorPrevious";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final RotationSettings settings;
  private final SecretStore store;
  private final Clock clock;
  private final OperatorValueProbe probe;

  public SecretActivitiesImpl(RotationSettings settings, SecretStore store, Clock clock) {
    this(settings, store, clock, new OperatorValueProbe());
  }

  public SecretActivitiesImpl(
      RotationSettings settings, SecretStore store, Clock clock, OperatorValueProbe probe) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.probe = probe;
  }

  @Override
  public NewVersion createVersion(VersionRequest request) {
    SecretConfig secret =
        settings
            .secret(request.secret())
            .orElseThrow(
                () ->
                    RotationErrors.UNKNOWN_SECRET.failure(
                        "secret " + request.secret() + " is not configured"));
    String versionId = VersionIds.forRotation(request.rotationId(), secret.name());
    if (request.versionId() != null && !request.versionId().equals(versionId)) {
      throw RotationErrors.INVALID_REQUEST.failure(
          "rotation "
              + request.rotationId()
              + " creates version "
              + versionId
              + " of "
              + secret.name()
              + ", not "
              + request.versionId());
    }
    return translated(
        () -> {
          SecretState state = store.describe(secret.name());
          // A retry after a crash finds the version the first attempt made: no new material.
          var existing = state.version(versionId);
          if (existing.isPresent()) {
            return newVersion(secret.name(), existing.get());
          }
          String current =
              state
                  .labelled(Label.CURRENT)
                  .orElseThrow(
                      () ->
                          RotationErrors.INVALID_CONFIGURATION.failure(
                              "secret " + secret.name() + " has no CURRENT version"))
                  .versionId();
          Map<String, String> metadata = new LinkedHashMap<>();
          metadata.put("rotatedAt", clock.instant().toString());
          metadata.put("rotationId", request.rotationId());
          metadata.put(REPLACES, current);
          state
              .labelled(Label.PREVIOUS)
              .ifPresent(p -> metadata.put(PRIOR_PREVIOUS, p.versionId()));
          byte[] value = newValue(secret);
          try {
            SecretVersion created = store.createPending(secret.name(), versionId, value, metadata);
            if (secret.kind() == SecretKind.API_KEY) {
              store.clearStaged(secret.name());
            }
            return newVersion(secret.name(), created);
          } finally {
            Arrays.fill(value, (byte) 0);
          }
        });
  }

  @Override
  public void discardVersion(VersionRequest request) {
    translated(() -> run(() -> store.discard(request.secret(), request.versionId())));
  }

  @Override
  public void promote(VersionRequest request) {
    translated(() -> run(() -> store.moveCurrent(request.secret(), request.versionId())));
  }

  @Override
  public void restoreLabels(NewVersion change) {
    translated(
        () ->
            run(
                () ->
                    store.restoreLabels(
                        change.secret(),
                        change.replacedVersionId(),
                        change.priorPreviousVersionId())));
  }

  @Override
  public void revoke(VersionRequest request) {
    translated(
        () -> run(() -> store.revoke(request.secret(), request.versionId(), request.rotationId())));
  }

  @Override
  public void unrevoke(VersionRequest request) {
    translated(
        () ->
            run(() -> store.unrevoke(request.secret(), request.versionId(), request.rotationId())));
  }

  private byte[] newValue(SecretConfig secret) {
    return switch (secret.kind()) {
      case DATA_KEY -> random(32);
      case SIGNING_SECRET -> random(64);
      case API_KEY -> {
        byte[] staged = store.staged(secret.name());
        if (staged == null) {
          throw RotationErrors.OPERATOR_VALUE_MISSING.failure(
              "no new value of " + secret.name() + " has been supplied to the secret store yet");
        }
        if (secret.operatorValueCheck() != null) {
          // Before the version exists: a refused value stays staged for the operator to replace.
          try {
            probe.check(secret.name(), secret.operatorValueCheck(), staged);
          } catch (RuntimeException e) {
            Arrays.fill(staged, (byte) 0);
            throw e;
          }
        }
        yield staged;
      }
    };
  }

  private static NewVersion newVersion(String secret, SecretVersion version) {
    return new NewVersion(
        secret,
        version.versionId(),
        version.metadata().get(REPLACES),
        version.metadata().get(PRIOR_PREVIOUS));
  }

  private static byte[] random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return value;
  }

  private static Void run(Runnable action) {
    action.run();
    return null;
  }

  /** Turns store refusals into activity failures of the same type. */
  private static <T> T translated(Supplier<T> action) {
    try {
      return action.get();
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
  }
}
