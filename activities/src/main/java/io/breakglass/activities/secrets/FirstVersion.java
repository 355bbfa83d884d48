package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.VersionIds;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gives a secret its first version, CURRENT at once, when it has none: what a fresh installation
 * (or the backup key on first use) needs. Safe when processes do it together (pods starting at
 * once): the version id is fixed, so the losers' creates are refused and they find the winner's
 * version, and a promotion that races another is tried again.
 */
public final class FirstVersion {

  /** The rotation id first versions are recorded under. */
  public static final String ROTATION_ID = "initial";

  private FirstVersion() {}

  /**
   * Creates the first version of {@code secret} from {@code value} unless the secret exists.
   *
   * @return the id of the first version, or null when the secret already existed
   */
  public static String ensure(SecretStore store, String secret, Supplier<byte[]> value) {
    try {
      store.describe(secret);
      return null;
    } catch (SecretStoreException e) {
      if (e.error() != RotationErrors.VERSION_NOT_FOUND) {
        throw e;
      }
    }
    String versionId = VersionIds.forRotation(ROTATION_ID, secret);
    byte[] material = value.get();
    try {
      store.createPending(secret, versionId, material, Map.of("rotationId", ROTATION_ID));
    } catch (SecretStoreException e) {
      if (e.error() != RotationErrors.IDEMPOTENCY_CONFLICT) {
        throw e;
      }
    } finally {
      Arrays.fill(material, (byte) 0);
    }
    try {
      store.moveCurrent(secret, versionId);
    } catch (SecretStoreException e) {
      // Another process promoting the same version at the same moment can take a label off
      // between this one's read and its write (Secrets Manager then refuses the write). Promoting
      // is idempotent, so once more from the state as it is now.
      store.moveCurrent(secret, versionId);
    }
    return versionId;
  }
}
