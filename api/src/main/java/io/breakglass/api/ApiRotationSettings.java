package io.breakglass.api;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.VaultConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The part of the rotation settings the operator API reads: the secrets a start may name and the
 * stores a pending value is staged in (checked by {@code /healthcheck}), and the policy's approval
 * floors. Data sets, deployments, backups, checks, notifications and approvals are the worker's.
 *
 * @param secretStore the local encrypted store, when a secret is kept there (development only)
 * @param secrets the configured secrets, as the worker has them
 * @param policy approval floors and the revoke recovery window; the defaults when absent
 * @param aws Secrets Manager's region and endpoint, for secrets kept there
 * @param vault HashiCorp Vault, for secrets kept there
 */
public record ApiRotationSettings(
    @Valid LocalSecretStoreConfig secretStore,
    @Valid @NotNull List<SecretConfig> secrets,
    @Valid PolicyConfig policy,
    @Valid AwsConfig aws,
    @Valid VaultConfig vault) {

  public ApiRotationSettings {
    // Null reaches validation, which names rotation.secrets.
    secrets = secrets == null ? null : List.copyOf(secrets);
  }

  /**
   * These settings in the shape the API's services take. Nothing in the API reads the parts it
   * leaves empty: no data sets, deployments or checks, no backups, and approvals are verified by
   * the workflow with the worker's configuration.
   */
  public RotationSettings toRotationSettings() {
    return new RotationSettings(
        secretStore, secrets, null, null, policy, null, null, aws, null, null, null, vault);
  }
}
