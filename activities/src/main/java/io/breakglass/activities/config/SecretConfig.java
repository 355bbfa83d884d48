package io.breakglass.activities.config;

import io.breakglass.workflows.messages.values.SecretKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A secret Breakglass may rotate.
 *
 * @param name the runbook name, e.g. {@code artifact-encryption-key}
 * @param kind how new versions are made
 * @param store where its versions live (default LOCAL)
 * @param awsSecretId for AWS Secrets Manager: the secret's name or ARN there (default: {@code name})
 * @param operatorValueCheck for an API key: the HTTP check a supplied value must pass before it is
 *     promoted; null for none
 * @param smoke {@code allowNoChecks} with a reason, to rotate it although no smoke check covers it;
 *     null for the rule (a covering smoke check is required)
 */
public record SecretConfig(
    @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String name,
    @NotNull SecretKind kind,
    SecretStoreType store,
    String awsSecretId,
    @Valid OperatorValueCheck operatorValueCheck,
    SecretSmokeConfig smoke) {

  public SecretConfig {
    store = store == null ? SecretStoreType.LOCAL : store;
    awsSecretId = awsSecretId == null ? name : awsSecretId;
  }

  /** A secret that needs a covering smoke check. */
  public SecretConfig(
      String name,
      SecretKind kind,
      SecretStoreType store,
      String awsSecretId,
      OperatorValueCheck operatorValueCheck) {
    this(name, kind, store, awsSecretId, operatorValueCheck, null);
  }

  /** A secret in the local store. */
  public SecretConfig(String name, SecretKind kind) {
    this(name, kind, null, null, null);
  }

  /** This secret with {@code smoke} as its smoke-test exception. */
  public SecretConfig withSmoke(SecretSmokeConfig smoke) {
    return new SecretConfig(name, kind, store, awsSecretId, operatorValueCheck, smoke);
  }

  /** Why it may rotate without a covering smoke check, or null when it may not. */
  public String noSmokeCheckReason() {
    return smoke != null && smoke.allowNoChecks() ? smoke.reason() : null;
  }
}
