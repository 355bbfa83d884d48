package io.breakglass.activities.secrets;

import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.aws.AwsSecretsManagerStore;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutedSecretStoreTest {

  @TempDir Path folder;
  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void eachSecretGoesToTheStoreItsConfigurationNames_andUnlistedOnesToTheLocalStore() {
    LocalSecretStore local = LocalStores.in(folder);
    RoutedSecretStore store = RoutedSecretStore.of(settings(true), () -> local, this::aws);

    LocalStores.initialise(store, "jwt", 64);
    FirstVersion.ensure(store, "openai", () -> "sk-initial".getBytes(StandardCharsets.US_ASCII));
    LocalStores.initialise(store, "breakglass-backup-key", 32);

    assertThat(local.describe("jwt").versions()).hasSize(1);
    assertThat(fake.exists("prod/openai")).isTrue();
    assertThat(local.describe("breakglass-backup-key").versions()).hasSize(1);
    assertThat(fake.exists("breakglass-backup-key")).isFalse();
    assertThat(store.describe("openai").versions()).hasSize(1);
  }

  @Test
  void withoutALocalStore_unlistedSecretsGoToSecretsManager() {
    RoutedSecretStore store =
        RoutedSecretStore.of(
            settings(false, awsOnly()),
            () -> {
              throw new AssertionError("not opened");
            },
            this::aws);

    LocalStores.initialise(store, "breakglass-backup-key", 32);

    assertThat(fake.exists("breakglass-backup-key")).isTrue();
  }

  @Test
  void negativeControl_aLocalSecretWithoutTheLocalStore_isAConfigurationError() {
    SecretStoreException refused =
        refused(() -> RoutedSecretStore.of(settings(false), () -> null, this::aws));

    assertThat(refused.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(refused.getMessage()).contains("jwt").contains("rotation.secretStore");
    assertThat(settings(false).isSecretStoreGivenForLocalSecrets()).isFalse();
    assertThat(settings(true).isSecretStoreGivenForLocalSecrets()).isTrue();
  }

  private SecretStore aws() {
    return new AwsSecretsManagerStore(fake.client(), awsOnly(), Clock.systemUTC());
  }

  private static List<SecretConfig> awsOnly() {
    return List.of(
        new SecretConfig(
            "openai",
            SecretKind.API_KEY,
            SecretStoreType.AWS_SECRETS_MANAGER,
            "prod/openai",
            null));
  }

  private RotationSettings settings(boolean withLocalStore) {
    return settings(
        withLocalStore,
        List.of(new SecretConfig("jwt", SecretKind.SIGNING_SECRET), awsOnly().get(0)));
  }

  private RotationSettings settings(boolean withLocalStore, List<SecretConfig> secrets) {
    return new RotationSettings(
        withLocalStore
            ? new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null)
            : null,
        secrets,
        null,
        null,
        null,
        new BackupConfig(folder, 0),
        null,
        fake.config());
  }
}
