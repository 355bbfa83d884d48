package io.breakglass.activities.provider;

import io.breakglass.activities.config.OpenAiConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.provider.OpenAiAdminApi.ListedKey;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.ProviderKeyActivities;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * {@link ProviderKeyActivities} for OpenAI: the replaced key's id is found among the project's keys
 * by its redacted value, then deleted through the Admin API with the admin key read from the
 * configured environment variable at each call. The replaced key's value is read from the store and
 * compared inside this class only.
 */
public final class ProviderKeyActivitiesImpl implements ProviderKeyActivities {

  /** How the workflow and the timeline name OpenAI. */
  static final String OPENAI = "OpenAI";

  private final RotationSettings settings;
  private final SecretStore store;
  private final Function<String, String> environment;
  private final HttpClient http;

  public ProviderKeyActivitiesImpl(
      RotationSettings settings, SecretStore store, Function<String, String> environment) {
    this.settings = settings;
    this.store = store;
    this.environment = environment;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .followRedirects(
                HttpClient.Redirect.NEVER) // the admin key goes to the configured host only
            .build();
  }

  @Override
  public ProviderKey findProviderKey(ProviderKeyRequest request) {
    SecretConfig secret = secret(request.secret());
    OpenAiConfig openai = secret.openai();
    if (openai == null) {
      return new ProviderKey(secret.name(), request.versionId(), null, null, null, false);
    }
    String adminKey = adminKey(secret.name(), openai);
    if (adminKey == null) {
      return new ProviderKey(
          secret.name(), request.versionId(), OPENAI, openai.projectId(), null, false);
    }
    List<ListedKey> listed = api(openai).keys(adminKey);
    byte[] value = material(secret.name(), request.versionId());
    List<String> matching;
    try {
      matching =
          listed.stream()
              .filter(k -> RedactedValue.matches(k.redactedValue(), value))
              .map(ListedKey::id)
              .toList();
    } finally {
      Arrays.fill(value, (byte) 0);
    }
    if (matching.size() != 1) {
      throw RotationErrors.PROVIDER_KEY_NOT_FOUND.failure(
          (matching.isEmpty() ? "no API key" : "keys " + matching)
              + " of OpenAI project "
              + openai.projectId()
              + " match version "
              + request.versionId()
              + " of "
              + secret.name()
              + " ("
              + listed.size()
              + " key(s) listed)");
    }
    return new ProviderKey(
        secret.name(), request.versionId(), OPENAI, openai.projectId(), matching.get(0), true);
  }

  @Override
  public ProviderKeyDeletion deleteProviderKey(ProviderKey key) {
    SecretConfig secret = secret(key.secret());
    OpenAiConfig openai = secret.openai();
    if (openai == null || key.keyId() == null) {
      throw RotationErrors.INVALID_REQUEST.failure(
          "no OpenAI key of "
              + key.secret()
              + " to delete (secret not OpenAI's, or key id unknown)");
    }
    String adminKey = adminKey(secret.name(), openai);
    if (adminKey == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "the admin key of " + secret.name() + " is not in " + openai.adminKeyEnv() + " any more");
    }
    boolean deleted = api(openai).delete(adminKey, key.keyId());
    return new ProviderKeyDeletion(key.keyId(), !deleted);
  }

  private SecretConfig secret(String name) {
    return settings
        .secret(name)
        .orElseThrow(
            () -> RotationErrors.UNKNOWN_SECRET.failure("secret " + name + " is not configured"));
  }

  /** The admin key; null when none is configured. A configured but empty variable is an error. */
  private String adminKey(String secret, OpenAiConfig openai) {
    if (openai.adminKeyEnv() == null) {
      return null;
    }
    String adminKey = environment.apply(openai.adminKeyEnv());
    if (adminKey == null || adminKey.isBlank()) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "openai.adminKeyEnv of "
              + secret
              + " names "
              + openai.adminKeyEnv()
              + ", which is not set; set it, or remove adminKeyEnv to revoke by hand");
    }
    return adminKey.strip();
  }

  private byte[] material(String secret, String versionId) {
    try {
      return store.material(secret, versionId);
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
  }

  private OpenAiAdminApi api(OpenAiConfig openai) {
    return new OpenAiAdminApi(http, openai.baseUrl(), openai.projectId());
  }
}
