package io.breakglass.activities.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.OpenAiConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.testing.FakeOpenAi;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.activities.ProviderKeyActivities.ProviderKey;
import io.breakglass.workflows.activities.ProviderKeyActivities.ProviderKeyDeletion;
import io.breakglass.workflows.activities.ProviderKeyActivities.ProviderKeyRequest;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replaced OpenAI key, found by its redacted value and deleted through a fake Admin API. */
class ProviderKeyActivitiesImplTest {

  private static final String PROJECT = "proj_abc";
  private static final String ADMIN = "sk-admin-0123456789abcdefghij";
  private static final String OLD = "sk-proj-OLDoldOLDoldOLDold0001";
  private static final String NEW = "sk-proj-NEWnewNEWnewNEWnew0002";

  @TempDir Path root;

  private final FakeOpenAi openai =
      new FakeOpenAi(PROJECT, ADMIN, 2)
          .issue("key_other1", "sk-proj-someoneelse0000000000a1")
          .issue("key_other2", "sk-proj-someoneelse0000000000b2")
          .issue("key_old", OLD)
          .issue("key_new", NEW);

  @AfterEach
  void stop() {
    openai.close();
  }

  @Test
  void withAnAdminKey_theOldKeyIsFoundAcrossPages_deleted_andADeleteRetryFindsItGone() {
    ProviderKeyActivitiesImpl activities =
        activities("OPENAI_ADMIN_KEY", Map.of("OPENAI_ADMIN_KEY", ADMIN));

    ProviderKey key = activities.findProviderKey(new ProviderKeyRequest("r1", "openai", "v-old"));
    ProviderKeyDeletion first = activities.deleteProviderKey(key);
    ProviderKeyDeletion retry = activities.deleteProviderKey(key);

    assertThat(key)
        .isEqualTo(new ProviderKey("openai", "v-old", "OpenAI", PROJECT, "key_old", true));
    assertThat(first).isEqualTo(new ProviderKeyDeletion("key_old", false));
    assertThat(retry).isEqualTo(new ProviderKeyDeletion("key_old", true));
    assertThat(openai.has("key_old")).isFalse();
    assertThat(openai.has("key_new")).isTrue();
    assertThat(openai.requests())
        .contains(
            "GET /v1/organization/projects/proj_abc/api_keys?limit=100",
            "GET /v1/organization/projects/proj_abc/api_keys?limit=100&after=key_other2",
            "DELETE /v1/organization/projects/proj_abc/api_keys/key_old");
    assertThat(String.join("\n", openai.requests())).doesNotContain(OLD, NEW, ADMIN);
    assertThat(openai.bearers()).containsOnly(ADMIN);
  }

  @Test
  void withoutAnAdminKey_nothingIsCalled_andTheKeyIsLeftToAHuman() {
    ProviderKeyActivitiesImpl activities = activities(null, Map.of());

    ProviderKey key = activities.findProviderKey(new ProviderKeyRequest("r1", "openai", "v-old"));

    assertThat(key).isEqualTo(new ProviderKey("openai", "v-old", "OpenAI", PROJECT, null, false));
    assertThat(openai.requests()).isEmpty();
  }

  /**
   * Negative control: a refused admin key, an unset variable, and a key the project lacks fail
   * typed.
   */
  @Test
  void aRefusedAdminKey_anUnsetVariable_orNoMatchingKey_failWithTheirType_andNameNoKey() {
    ProviderKeyRequest request = new ProviderKeyRequest("r1", "openai", "v-old");

    assertThatThrownBy(
            () ->
                activities("OPENAI_ADMIN_KEY", Map.of("OPENAI_ADMIN_KEY", "sk-wrong-admin-key-000"))
                    .findProviderKey(request))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("PROVIDER_REFUSED");
              assertThat(f.getOriginalMessage()).contains("401").doesNotContain("sk-");
            });
    assertThatThrownBy(() -> activities("OPENAI_ADMIN_KEY", Map.of()).findProviderKey(request))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo("INVALID_CONFIGURATION"));
    ProviderKeyActivitiesImpl activities =
        activities("OPENAI_ADMIN_KEY", Map.of("OPENAI_ADMIN_KEY", ADMIN));
    activities.deleteProviderKey(
        new ProviderKey("openai", "v-old", "OpenAI", PROJECT, "key_old", true));
    assertThatThrownBy(() -> activities.findProviderKey(request))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("PROVIDER_KEY_NOT_FOUND");
              assertThat(f.getOriginalMessage()).contains("v-old", PROJECT).doesNotContain(OLD);
            });
  }

  private SecretStore store;

  @BeforeEach
  void storeTheOldKey() {
    store = LocalStores.in(root);
    store.createPending("openai", "v-old", OLD.getBytes(StandardCharsets.UTF_8), Map.of());
    store.moveCurrent("openai", "v-old");
  }

  private ProviderKeyActivitiesImpl activities(
      String adminKeyEnv, Map<String, String> environment) {
    return new ProviderKeyActivitiesImpl(settings(adminKeyEnv), store, environment::get);
  }

  private RotationSettings settings(String adminKeyEnv) {
    SecretConfig secret =
        new SecretConfig("openai", SecretKind.API_KEY)
            .withOpenAi(new OpenAiConfig(PROJECT, adminKeyEnv, openai.baseUrl()));
    return new RotationSettings(
        new LocalSecretStoreConfig(root.resolve("secrets.store"), null, root.resolve("master.key")),
        List.of(secret),
        null,
        null,
        null,
        new BackupConfig(root.resolve("backups"), 1, null),
        null);
  }
}
