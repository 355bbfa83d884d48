package io.breakglass.activities.crypto;

/**
 * The key id an envelope carries: {@code <secret>:<versionId>}. Secret names never contain a colon,
 * so the first colon splits it.
 *
 * @param secret the secret's name
 * @param versionId the version
 */
public record KeyId(String secret, String versionId) {

  public KeyId {
    if (secret == null || secret.isEmpty() || secret.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a key id needs a secret name without ':'");
    }
    if (versionId == null || versionId.isEmpty()) {
      throw new IllegalArgumentException("a key id needs a version id");
    }
  }

  /** Parses {@code secret:versionId}. */
  public static KeyId parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new EnvelopeException(
          EnvelopeException.Reason.MALFORMED, "key id is not secret:version");
    }
    return new KeyId(text.substring(0, colon), text.substring(colon + 1));
  }

  @Override
  public String toString() {
    return secret + ":" + versionId;
  }
}
