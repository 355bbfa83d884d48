package io.breakglass.workflows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The version id a rotation gives the new version of a secret. It is derived from the rotation id,
 * so the workflow knows it before the version exists (its compensation is registered first) and a
 * retried create is recognised as the same request (it is also the AWS {@code ClientRequestToken}:
 * 36 characters, within the 32-64 AWS accepts).
 */
public final class VersionIds {

  private VersionIds() {}

  /** The version id rotation {@code rotationId} gives its new version of {@code secret}. */
  public static String forRotation(String rotationId, String secret) {
    byte[] name = ("breakglass/" + rotationId + "/" + secret).getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(name).toString();
  }
}
