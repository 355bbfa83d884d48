package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Every Secrets Manager call the store makes, one method each, with AWS errors turned into {@link
 * SecretStoreException}s: throttling, 5xx and network failures are {@code SECRET_STORE_UNAVAILABLE}
 * (retryable); any other refusal (access denied, a secret scheduled for deletion) is {@code
 * INVALID_CONFIGURATION}. Two AWS errors are answers the store acts on, and surface as {@link
 * Missing} and {@link Exists}. Messages name the secret and version, never a value (AWS error
 * messages do not echo values).
 */
final class SecretsManagerCalls {

  /** The secret or version does not exist (AWS {@code ResourceNotFoundException}). */
  static final class Missing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missing(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** The name or token is taken (AWS {@code ResourceExistsException}). */
  static final class Exists extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exists(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final SecretsManagerClient client;

  SecretsManagerCalls(SecretsManagerClient client) {
    this.client = client;
  }

  /** Every version, deprecated ones (no labels) included. */
  List<SecretVersionsListEntry> versions(String secretId) {
    return call(
        secretId,
        () -> {
          List<SecretVersionsListEntry> all = new ArrayList<>();
          client
              .listSecretVersionIdsPaginator(r -> r.secretId(secretId).includeDeprecated(true))
              .forEach(page -> all.addAll(page.versions()));
          return all;
        });
  }

  /** The secret's tags. */
  List<Tag> tags(String secretId) {
    return call(secretId, () -> client.describeSecret(r -> r.secretId(secretId)).tags());
  }

  /** Version id to labels, for versions that carry a label. */
  Map<String, List<String>> labelled(String secretId) {
    return call(
        secretId, () -> client.describeSecret(r -> r.secretId(secretId)).versionIdsToStages());
  }

  /** Creates a secret without a version. */
  void create(String name) {
    call(name, () -> client.createSecret(r -> r.name(name)));
  }

  /** A new version carrying {@code labels}; {@code text} stores the value as SecretString. */
  void put(String secretId, String token, byte[] value, boolean text, List<String> labels) {
    call(
        secretId,
        () ->
            client.putSecretValue(
                r -> {
                  r.secretId(secretId).clientRequestToken(token).versionStages(labels);
                  if (text) {
                    r.secretString(Utf8.decode(value));
                  } else {
                    r.secretBinary(SdkBytes.fromByteArray(value));
                  }
                }));
  }

  /** The value of a version, by id. */
  byte[] value(String secretId, String versionId) {
    return bytes(
        call(
            secretId, () -> client.getSecretValue(r -> r.secretId(secretId).versionId(versionId))));
  }

  /** The value of the version carrying {@code label}. */
  byte[] labelledValue(String secretId, String label) {
    return bytes(
        call(secretId, () -> client.getSecretValue(r -> r.secretId(secretId).versionStage(label))));
  }

  /**
   * Moves {@code label} to {@code versionId}, taking it from {@code fromVersionId} (null: from
   * none).
   */
  void move(String secretId, String label, String versionId, String fromVersionId) {
    call(
        secretId,
        () ->
            client.updateSecretVersionStage(
                r ->
                    r.secretId(secretId)
                        .versionStage(label)
                        .moveToVersionId(versionId)
                        .removeFromVersionId(fromVersionId)));
  }

  /** Takes {@code label} off {@code versionId}. */
  void remove(String secretId, String label, String versionId) {
    call(
        secretId,
        () ->
            client.updateSecretVersionStage(
                r -> r.secretId(secretId).versionStage(label).removeFromVersionId(versionId)));
  }

  /** Adds or replaces tags. */
  void tag(String secretId, List<Tag> tags) {
    call(secretId, () -> client.tagResource(r -> r.secretId(secretId).tags(tags)));
  }

  /** Removes the tags with these keys. */
  void untag(String secretId, List<String> keys) {
    call(secretId, () -> client.untagResource(r -> r.secretId(secretId).tagKeys(keys)));
  }

  // SecretBinary for what Breakglass writes; SecretString for values put in by people or other
  // tools.
  private static byte[] bytes(GetSecretValueResponse response) {
    return response.secretBinary() != null
        ? response.secretBinary().asByteArray()
        : Utf8.encode(response.secretString());
  }

  private static <T> T call(String secretId, Supplier<T> request) {
    try {
      return request.get();
    } catch (ResourceNotFoundException e) {
      throw new Missing(e);
    } catch (ResourceExistsException e) {
      throw new Exists(e);
    } catch (SecretsManagerException e) {
      boolean transientFailure = e.isThrottlingException() || e.statusCode() >= 500;
      throw new SecretStoreException(
          transientFailure
              ? RotationErrors.SECRET_STORE_UNAVAILABLE
              : RotationErrors.INVALID_CONFIGURATION,
          "AWS Secrets Manager refused a call on "
              + secretId
              + ": "
              + e.awsErrorDetails().errorCode()
              + " ("
              + e.awsErrorDetails().errorMessage()
              + ")",
          e);
    } catch (SdkClientException e) {
      throw new SecretStoreException(
          RotationErrors.SECRET_STORE_UNAVAILABLE,
          "cannot reach AWS Secrets Manager for " + secretId,
          e);
    } catch (SdkException e) {
      throw new SecretStoreException(
          RotationErrors.SECRET_STORE_UNAVAILABLE,
          "AWS Secrets Manager call on " + secretId + " failed",
          e);
    }
  }
}
