package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which envelopes that name no key try a secret's versions, through a rotation. */
class StoreKeyringTrialOrderTest {

  private static final String SECRET = "notes-key";

  @TempDir Path dir;

  @Test
  void
      current_thenPending_thenPrevious_thenOtherActiveVersionsNewestFirst_neverRevokedOrDiscarded() {
    LocalSecretStore store =
        new LocalSecretStore(dir.resolve("secrets.store"), TestMasterKeys.random());
    create(store, "v1");
    store.moveCurrent(SECRET, "v1");
    assertThat(order(store)).containsExactly("v1");

    create(store, "v2");
    assertThat(order(store)).as("a rotation under way").containsExactly("v1", "v2");

    store.moveCurrent(SECRET, "v2");
    assertThat(order(store)).as("promoted").containsExactly("v2", "v1");

    create(store, "v3");
    store.moveCurrent(SECRET, "v3");
    create(store, "v4");
    assertThat(order(store))
        .as("v1 lost its label but is still active")
        .containsExactly("v3", "v4", "v2", "v1");

    store.discard(SECRET, "v4");
    store.revoke(SECRET, "v1", "rotation-1");
    assertThat(order(store)).containsExactly("v3", "v2");
  }

  @Test
  void aSecretThatDoesNotExist_isAnUnknownKey() {
    LocalSecretStore store =
        new LocalSecretStore(dir.resolve("secrets.store"), TestMasterKeys.random());

    assertThatThrownBy(() -> new StoreKeyring(store).trialOrder("nothing"))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.UNKNOWN_KEY_ID));
  }

  private static List<String> order(SecretStore store) {
    return new StoreKeyring(store).trialOrder(SECRET).stream().map(KeyId::versionId).toList();
  }

  private static void create(SecretStore store, String versionId) {
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    store.createPending(SECRET, versionId, material, Map.of());
  }
}
