package io.breakglass.activities.testing;

import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.workflows.VersionIds;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/** A real local secret store in a test folder, with secrets at their first version. */
public final class LocalStores {

  private LocalStores() {}

  public static LocalSecretStore in(Path folder) {
    return new LocalSecretStore(folder.resolve("secrets.store"), MasterKey.createFile(folder.resolve("master.key")));
  }

  /** Creates version {@code initial} of {@code secret} (random material) as CURRENT; returns its id. */
  public static String initialise(LocalSecretStore store, String secret, int bytes) {
    String version = VersionIds.forRotation("initial", secret);
    byte[] material = new byte[bytes];
    new SecureRandom().nextBytes(material);
    store.createPending(secret, version, material, Map.of("rotationId", "initial"));
    store.moveCurrent(secret, version);
    return version;
  }
}
