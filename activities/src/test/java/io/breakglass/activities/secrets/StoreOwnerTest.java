package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.workflows.RotationErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local store file belongs to the host that first opened it: processes on that host share it, a
 * process on another host (another pod on a shared volume) is refused, saying why and what to use.
 */
class StoreOwnerTest {

  @TempDir Path folder;

  @Test
  void theFirstOpen_recordsThisHost_andLaterOpensOnThisHostShareTheFile() throws Exception {
    Path key = folder.resolve("master.key");
    MasterKey.createFile(key);
    LocalSecretStoreConfig config =
        new LocalSecretStoreConfig(folder.resolve("secrets.store"), "NOBODY_SETS_THIS", key);

    LocalSecretStore worker = LocalSecretStore.open(config);
    worker.createPending("jwt", "v1", new byte[] {1}, null);
    LocalSecretStore api = LocalSecretStore.open(config);

    assertThat(Files.readString(StoreOwner.ownerFile(config.path()), StandardCharsets.UTF_8))
        .isEqualTo(StoreOwner.thisHost() + "\n");
    assertThat(api.material("jwt", "v1")).containsExactly(1);
  }

  @Test
  void negativeControl_aProcessOnAnotherHost_isRefused_sayingWhyAndWhatToUseInstead() {
    Path store = folder.resolve("secrets.store");
    StoreOwner.claim(store, "breakglass-worker-7d9c-abcde");

    Throwable refused = catchThrowable(() -> StoreOwner.claim(store, "breakglass-api-5f6b-xyz12"));

    assertThat(refused)
        .isInstanceOfSatisfying(
            SecretStoreException.class,
            e -> assertThat(e.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION))
        .hasMessageContaining("belongs to host breakglass-worker-7d9c-abcde")
        .hasMessageContaining("this process runs on breakglass-api-5f6b-xyz12")
        .hasMessageContaining("pods must not share it")
        .hasMessageContaining("AWS Secrets Manager (store: AWS_SECRETS_MANAGER) or Vault");
  }

  @Test
  void openingTheConfiguredStore_checksItsOwner() throws Exception {
    Path key = folder.resolve("master.key");
    MasterKey.createFile(key);
    LocalSecretStoreConfig config =
        new LocalSecretStoreConfig(folder.resolve("secrets.store"), "NOBODY_SETS_THIS", key);
    Files.writeString(StoreOwner.ownerFile(config.path()), "another-pod\n");

    assertThat(catchThrowable(() -> LocalSecretStore.open(config)))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining("belongs to host another-pod");
  }

  @Test
  void theSameHostAgain_isAllowed() {
    Path store = folder.resolve("secrets.store");
    StoreOwner.claim(store, "dev-laptop");

    StoreOwner.claim(store, "dev-laptop");

    assertThat(StoreOwner.ownerFile(store)).hasContent("dev-laptop");
  }
}
