package io.breakglass.activities.testing;

import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStore;
import java.nio.file.Path;
import java.security.SecureRandom;

/** A real local secret store in a test folder, with secrets at their first version. */
public final class LocalStores {

  private LocalStores() {}

  public static LocalSecretStore in(Path folder) {
    return new LocalSecretStore(
        folder.resolve("secrets.store"), MasterKey.createFile(folder.resolve("master.key")));
  }

  /**
   * Creates version {@code initial} of {@code secret} (random material) as CURRENT; returns its id.
   */
  public static String initialise(SecretStore store, String secret, int bytes) {
    return FirstVersion.ensure(
        store,
        secret,
        () -> {
          byte[] material = new byte[bytes];
          new SecureRandom().nextBytes(material);
          return material;
        });
  }
}
