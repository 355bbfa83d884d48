package io.breakglass.activities.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Optional;

/**
 * What Breakglass may rotate and how: secrets, the data they protect, the workloads that read
 * them, approvals, backups and notifications. Names, paths and rules only; no secret material.
 */
public record RotationSettings(
    @Valid @NotNull LocalSecretStoreConfig secretStore,
    @Valid @NotNull List<SecretConfig> secrets,
    @Valid List<DataSetConfig> dataSets,
    @Valid List<DeploymentConfig> deployments,
    @Valid PolicyConfig policy,
    @Valid @NotNull BackupConfig backups,
    @Valid NotificationConfig notifications) {

  public RotationSettings {
    secrets = List.copyOf(secrets);
    dataSets = dataSets == null ? List.of() : List.copyOf(dataSets);
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    policy = policy == null ? PolicyConfig.defaults() : policy;
    notifications = notifications == null ? NotificationConfig.logOnly() : notifications;
  }

  public Optional<SecretConfig> secret(String name) {
    return secrets.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<DataSetConfig> dataSet(String name) {
    return dataSets.stream().filter(d -> d.name().equals(name)).findFirst();
  }
}
