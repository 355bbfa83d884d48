package io.breakglass.activities.secrets;

import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.aws.AwsSecretsManagerStore;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret's {@code encoding}: a key kept as base64 text, or in a field of a JSON value, is read as
 * its 32 bytes and its next version is written in the same form, in Secrets Manager (the fake
 * speaks its protocol) and in the local store. A value that does not read in its form is refused
 * naming the secret and the encoding, never the value.
 */
class SecretEncodingTest {

  private static final String KEY = "artifact-encryption-key";
  private static final String AWS_ID = "prod/artifact-encryption-key";
  private static final String V2 = "00000000-0000-4000-8000-000000000002";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;
  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void
      aBase64KeyAlreadyInSecretsManager_isRead_asItsThirtyTwoBytes_andTheNextVersionIsBase64TextToo() {
    byte[] key = randomKey();
    String current = putText(Base64.getEncoder().encodeToString(key) + "\n");
    SecretStore store = routed(awsKey(SecretEncoding.BASE64, null));
    byte[] next = randomKey();

    byte[] read = store.material(KEY, current);
    new StoreKeyring(store).key(new KeyId(KEY, current));
    store.createPending(KEY, V2, next, Map.of("rotationId", "r1"));

    assertThat(read).isEqualTo(key);
    assertThat(storedText(V2)).isEqualTo(Base64.getEncoder().encodeToString(next));
    assertThat(fake.client().getSecretValue(r -> r.secretId(AWS_ID).versionId(V2)).secretBinary())
        .as("written as SecretString, as the application's tools wrote it")
        .isNull();
    assertThat(store.material(KEY, V2)).isEqualTo(next);
  }

  @Test
  void negativeControl_theSameBase64ValueKeptRaw_isRefusedAsFortyFourBytes() {
    byte[] key = randomKey();
    String current = putText(Base64.getEncoder().encodeToString(key));
    SecretStore store = routed(awsKey(SecretEncoding.RAW, null));

    assertThat(store.material(KEY, current)).hasSize(44);
    assertThatThrownBy(() -> new StoreKeyring(store).key(new KeyId(KEY, current)))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.UNKNOWN_KEY_ID))
        .hasMessageContaining("is not a 32-byte data key (it is 44 bytes")
        .hasMessageContaining("encoding");
  }

  @Test
  void
      base64TextThatIsNotAThirtyTwoByteKey_isRefused_namingSecretVersionAndEncoding_neverTheValue() {
    byte[] short16 = new byte[16];
    new SecureRandom().nextBytes(short16);
    String shortValue = Base64.getEncoder().encodeToString(short16);
    String shortVersion = putText(shortValue);
    SecretStore store = routed(awsKey(SecretEncoding.BASE64, null));

    SecretStoreException tooShort = refused(() -> store.material(KEY, shortVersion));

    assertThat(tooShort.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(tooShort.getMessage())
        .isEqualTo(
            "version "
                + shortVersion
                + " of secret "
                + KEY
                + " under encoding BASE64 decodes to 16 bytes, not the 32 bytes of a data key")
        .doesNotContain(shortValue);
  }

  @Test
  void textThatIsNotBase64_isRefused_withoutQuotingIt() {
    String notBase64 = "sk-live-this*is*not*base64";
    String version = putText(notBase64);
    SecretStore store = routed(awsKey(SecretEncoding.BASE64, null));

    SecretStoreException refused = refused(() -> store.material(KEY, version));

    assertThat(refused.getMessage())
        .contains(KEY)
        .contains("encoding BASE64 is not base64 text")
        .doesNotContain("sk-live")
        .doesNotContain("*");
    assertThat(refused.getCause()).isNull();
  }

  @Test
  void aKeyInAFieldOfAJsonValue_inTheLocalStore_isRead_andTheNextVersionKeepsTheOtherFields()
      throws Exception {
    LocalSecretStore local = LocalStores.in(folder);
    byte[] key = randomKey();
    String appJson =
        "{\"region\":\"eu-west-1\",\"key\":\"" + Base64.getEncoder().encodeToString(key) + "\"}";
    local.createPending(KEY, "app-v1", appJson.getBytes(StandardCharsets.UTF_8), Map.of());
    local.moveCurrent(KEY, "app-v1");
    SecretStore store =
        routedLocal(
            local,
            new SecretConfig(KEY, SecretKind.DATA_KEY)
                .withEncoding(SecretEncoding.JSON_FIELD, "key"));
    byte[] next = randomKey();

    byte[] read = store.material(KEY, "app-v1");
    store.createPending(KEY, "v2", next, Map.of());

    assertThat(read).isEqualTo(key);
    JsonNode written = JSON.readTree(local.material(KEY, "v2"));
    assertThat(written.get("region").asText()).isEqualTo("eu-west-1");
    assertThat(written.get("key").asText()).isEqualTo(Base64.getEncoder().encodeToString(next));
    assertThat(store.material(KEY, "v2")).isEqualTo(next);
  }

  @Test
  void anApiKeyInAJsonField_isItsText() {
    LocalSecretStore local = LocalStores.in(folder);
    local.createPending(
        "openai", "app-v1", "{\"apiKey\":\"sk-old\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    local.moveCurrent("openai", "app-v1");
    SecretStore store =
        routedLocal(
            local,
            new SecretConfig("openai", SecretKind.API_KEY)
                .withEncoding(SecretEncoding.JSON_FIELD, "apiKey"));

    store.createPending("openai", "v2", "sk-new".getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(new String(store.material("openai", "app-v1"), StandardCharsets.UTF_8))
        .isEqualTo("sk-old");
    assertThat(new String(local.material("openai", "v2"), StandardCharsets.UTF_8))
        .isEqualTo("{\"apiKey\":\"sk-new\"}");
  }

  @Test
  void aJsonValueWithoutTheField_isRefused_namingTheField() {
    LocalSecretStore local = LocalStores.in(folder);
    local.createPending(
        KEY, "app-v1", "{\"secret\":\"c2VjcmV0\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    SecretStore store =
        routedLocal(
            local,
            new SecretConfig(KEY, SecretKind.DATA_KEY)
                .withEncoding(SecretEncoding.JSON_FIELD, "key"));

    SecretStoreException refused = refused(() -> store.material(KEY, "app-v1"));

    assertThat(refused.getMessage())
        .isEqualTo(
            "version app-v1 of secret "
                + KEY
                + " under encoding JSON_FIELD (field key) has no text field key");
  }

  @Test
  void jsonFieldEncoding_withoutAField_isAConfigurationError() {
    assertThatThrownBy(
            () ->
                new SecretConfig(KEY, SecretKind.DATA_KEY)
                    .withEncoding(SecretEncoding.JSON_FIELD, null))
        .hasMessage("secret " + KEY + ": encoding JSON_FIELD needs jsonField");
    assertThatThrownBy(
            () ->
                new SecretConfig(KEY, SecretKind.DATA_KEY)
                    .withEncoding(SecretEncoding.BASE64, "key"))
        .hasMessage("secret " + KEY + ": jsonField is only read with encoding JSON_FIELD");
  }

  /** A value another tool put: the secret's first version, AWSCURRENT, as SecretString. */
  private String putText(String value) {
    return fake.client().createSecret(r -> r.name(AWS_ID).secretString(value)).versionId();
  }

  private String storedText(String versionId) {
    return fake.client()
        .getSecretValue(r -> r.secretId(AWS_ID).versionId(versionId))
        .secretString();
  }

  private static SecretConfig awsKey(SecretEncoding encoding, String jsonField) {
    return new SecretConfig(
            KEY, SecretKind.DATA_KEY, SecretStoreType.AWS_SECRETS_MANAGER, AWS_ID, null)
        .withEncoding(encoding, jsonField);
  }

  private SecretStore routed(SecretConfig secret) {
    RotationSettings settings =
        new RotationSettings(
            null,
            List.of(secret),
            null,
            null,
            null,
            new BackupConfig(folder, 0),
            null,
            fake.config());
    return RoutedSecretStore.of(
        settings,
        () -> null,
        () -> new AwsSecretsManagerStore(fake.client(), settings.secrets(), Clock.systemUTC()));
  }

  private SecretStore routedLocal(LocalSecretStore local, SecretConfig secret) {
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
            List.of(secret),
            null,
            null,
            null,
            new BackupConfig(folder, 0),
            null,
            fake.config());
    return RoutedSecretStore.of(settings, () -> local, () -> null);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
