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
 */
public record SecretConfig(
    @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String name,
    @NotNull SecretKind kind,
    SecretStoreType store,
    String awsSecretId,
    @Valid OperatorValueCheck operatorValueCheck) {

  public SecretConfig {
    store = store == null ? SecretStoreType.LOCAL : store;
    awsSecretId = awsSecretId == null ? name : awsSecretId;
  }

  /** A secret in the local store. */
  public SecretConfig(String name, SecretKind kind) {
    this(name, kind, null, null, null);
  }
}
