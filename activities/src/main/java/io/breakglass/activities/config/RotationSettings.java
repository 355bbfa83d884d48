package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.breakglass.workflows.messages.values.SecretKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Breakglass may rotate and how: secrets, the data they protect, the workloads that read them,
 * approvals, backups and notifications. Names, paths and rules only; no secret material.
 *
 * @param secretStore the local encrypted store; required when a secret (or the backup key) is kept
 *     there
 * @param aws AWS settings, for secrets in Secrets Manager and data or backups in S3
 * @param metricWatch the Prometheus analysis and log scan of METRIC_WATCH; skipped when absent
 * @param smokeChecks HTTP checks SMOKE_TEST runs, in order, after the storage-level canary; every
 *     secret they name is configured, and a {@code jwt} check's secret is a SIGNING_SECRET
 * @param approvals how the workflow verifies who starts and decides; required in a configuration
 *     file (the Java constructors without it, for development and tests, allow unsigned decisions)
 * @param vault HashiCorp Vault, for secrets kept there ({@code store: VAULT}); null when none is
 */
public record RotationSettings(
    @Valid LocalSecretStoreConfig secretStore,
    @Valid @NotNull List<SecretConfig> secrets,
    @Valid List<DataSetConfig> dataSets,
    @Valid List<DeploymentConfig> deployments,
    @Valid PolicyConfig policy,
    @Valid @NotNull BackupConfig backups,
    @Valid NotificationConfig notifications,
    @Valid AwsConfig aws,
    @Valid MetricWatchConfig metricWatch,
    @Valid List<HttpCheckConfig> smokeChecks,
    @Valid
        @NotNull(
            message =
                "is missing: configure how approvals are verified (oidc, keys), or set allowUnsigned:"
                    + " true for development only")
        ApprovalsConfig approvals,
    @Valid VaultConfig vault) {

  public RotationSettings {
    smokeChecks = smokeChecks == null ? List.of() : List.copyOf(smokeChecks);
    secrets = List.copyOf(secrets);
    dataSets = dataSets == null ? List.of() : List.copyOf(dataSets);
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    policy = policy == null ? PolicyConfig.defaults() : policy;
    notifications = notifications == null ? NotificationConfig.logOnly() : notifications;
    SmokeChecks.requireConfiguredSecrets(smokeChecks, secrets);
  }

  /** Settings without AWS. */
  public RotationSettings(
      LocalSecretStoreConfig secretStore,
      List<SecretConfig> secrets,
      List<DataSetConfig> dataSets,
      List<DeploymentConfig> deployments,
      PolicyConfig policy,
      BackupConfig backups,
      NotificationConfig notifications) {
    this(secretStore, secrets, dataSets, deployments, policy, backups, notifications, null);
  }

  /** Settings without a metric watch or HTTP smoke checks. */
  public RotationSettings(
      LocalSecretStoreConfig secretStore,
      List<SecretConfig> secrets,
      List<DataSetConfig> dataSets,
      List<DeploymentConfig> deployments,
      PolicyConfig policy,
      BackupConfig backups,
      NotificationConfig notifications,
      AwsConfig aws) {
    this(
        secretStore,
        secrets,
        dataSets,
        deployments,
        policy,
        backups,
        notifications,
        aws,
        null,
        null);
  }

  /** Settings that accept unsigned decisions: development, demos and tests. */
  public RotationSettings(
      LocalSecretStoreConfig secretStore,
      List<SecretConfig> secrets,
      List<DataSetConfig> dataSets,
      List<DeploymentConfig> deployments,
      PolicyConfig policy,
      BackupConfig backups,
      NotificationConfig notifications,
      AwsConfig aws,
      MetricWatchConfig metricWatch,
      List<HttpCheckConfig> smokeChecks) {
    this(
        secretStore,
        secrets,
        dataSets,
        deployments,
        policy,
        backups,
        notifications,
        aws,
        metricWatch,
        smokeChecks,
        ApprovalsConfig.unsignedForDevelopment(),
        null);
  }

  /** These settings with {@code approvals} as the approval rules. */
  public RotationSettings withApprovals(ApprovalsConfig approvals) {
    return new RotationSettings(
        secretStore,
        secrets,
        dataSets,
        deployments,
        policy,
        backups,
        notifications,
        aws,
        metricWatch,
        smokeChecks,
        approvals,
        vault);
  }

  /** These settings with {@code vault} as the Vault server. */
  public RotationSettings withVault(VaultConfig vault) {
    return new RotationSettings(
        secretStore,
        secrets,
        dataSets,
        deployments,
        policy,
        backups,
        notifications,
        aws,
        metricWatch,
        smokeChecks,
        approvals,
        vault);
  }

  /** A secret kept in the LOCAL store needs {@code secretStore}; checked with the file. */
  @JsonIgnore
  @AssertTrue(message = "is false: a secret kept in the LOCAL store needs rotation.secretStore")
  public boolean isSecretStoreGivenForLocalSecrets() {
    return secretStore != null
        || secrets.stream().noneMatch(s -> s.store() == SecretStoreType.LOCAL);
  }

  /** A secret kept in VAULT needs {@code vault}; checked with the file. */
  @JsonIgnore
  @AssertTrue(message = "is false: a secret kept in VAULT needs rotation.vault")
  public boolean isVaultGivenForVaultSecrets() {
    return vault != null || secrets.stream().noneMatch(s -> s.store() == SecretStoreType.VAULT);
  }

  public Optional<SecretConfig> secret(String name) {
    return secrets.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<DataSetConfig> dataSet(String name) {
    return dataSets.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * The names of the smoke checks that cover {@code secret}, in order; an API key with an {@code
   * operatorValueCheck} is covered by that call to its provider too, which SMOKE_TEST repeats with
   * the new version.
   */
  public List<String> smokeChecksCovering(String secret) {
    List<String> covering =
        new ArrayList<>(
            smokeChecks.stream()
                .filter(c -> c.coveredSecrets().contains(secret))
                .map(HttpCheckConfig::name)
                .toList());
    secret(secret)
        .filter(s -> s.kind() == SecretKind.API_KEY && s.operatorValueCheck() != null)
        .ifPresent(s -> covering.add(providerCheckName(secret)));
    return List.copyOf(covering);
  }

  /** The name of the smoke check that calls an API key's provider with the new version. */
  public static String providerCheckName(String secret) {
    return "provider " + secret;
  }
}
