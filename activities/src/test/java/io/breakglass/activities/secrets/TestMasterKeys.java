package io.breakglass.activities.secrets;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** Master keys for tests, loaded the way production loads them (from an environment value). */
final class TestMasterKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestMasterKeys() {}

  static MasterKey random() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String base64 = Base64.getEncoder().encodeToString(key);
    return MasterKey.load(
        new LocalSecretStoreConfig(Path.of("unused"), "KEY", null), name -> base64);
  }

  /** The key a child JVM loads from {@code keyFile} (written by {@link MasterKey#createFile}). */
  static MasterKey fromFile(Path keyFile) {
    return MasterKey.load(
        new LocalSecretStoreConfig(Path.of("unused"), "UNSET", keyFile), name -> null);
  }
}
