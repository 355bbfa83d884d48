package io.breakglass.activities.secrets.vault;

import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.config.VaultConfig;
import io.breakglass.activities.secrets.RoutedSecretStore;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store: VAULT} routes to Vault through {@code rotation.vault}, which is validated. */
class VaultRoutingTest {

  @TempDir Path folder;

  @Test
  void aVaultSecretGoesToVault_andWithoutOtherStoresSoDoesTheBackupKey() {
    try (FakeVault fake = FakeVault.start()) {
      RotationSettings settings =
          settings(fake.config(folder.resolve("token"), Map.of("jwt", "prod/jwt")));
      SecretStore store =
          RoutedSecretStore.of(
              settings,
              () -> {
                throw new AssertionError("no local store");
              },
              () -> {
                throw new AssertionError("no Secrets Manager");
              });

      LocalStores.initialise(store, "jwt", 64);
      LocalStores.initialise(store, "breakglass-backup-key", 32);

      assertThat(fake.currentVersion("prod/jwt")).isEqualTo(1);
      assertThat(fake.currentVersion("breakglass-backup-key")).isEqualTo(1);
      assertThat(settings.isVaultGivenForVaultSecrets()).isTrue();
    }
  }

  @Test
  void
      negativeControl_aVaultSecretWithoutRotationVault_orABadAddressOrPath_isAConfigurationError() {
    RotationSettings withoutVault = settings(null);
    VaultConfig ftp =
        new VaultConfig(URI.create("ftp://vault:8200"), null, null, null, null, Map.of());
    VaultConfig escaping =
        new VaultConfig(
            URI.create("https://vault:8200"),
            null,
            null,
            null,
            null,
            Map.of("jwt", "../sys/policy"));

    assertThat(refused(() -> RoutedSecretStore.of(withoutVault, () -> null, () -> null)).error())
        .isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(withoutVault.isVaultGivenForVaultSecrets()).isFalse();
    assertThat(ftp.isWellFormed()).isFalse();
    assertThat(escaping.isWellFormed()).isFalse();
    assertThat(
            new VaultConfig(
                    URI.create("https://vault:8200"),
                    null,
                    null,
                    null,
                    null,
                    Map.of("jwt", "prod/jwt"))
                .isWellFormed())
        .isTrue();
  }

  private RotationSettings settings(VaultConfig vault) {
    return new RotationSettings(
            null,
            List.of(
                new SecretConfig(
                    "jwt", SecretKind.SIGNING_SECRET, SecretStoreType.VAULT, null, null)),
            null,
            null,
            null,
            new BackupConfig(folder, 0),
            null)
        .withVault(vault);
  }
}
