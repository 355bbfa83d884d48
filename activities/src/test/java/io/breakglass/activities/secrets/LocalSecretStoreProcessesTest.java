package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes writing one store file at the same moment, each through its own store. */
class LocalSecretStoreProcessesTest {

  private static final int EACH = 40;
  private static final List<String> SECRETS = List.of("artifact-encryption-key", "jwt");

  @TempDir Path dir;

  @Test
  void twoProcessesCreatingVersionsAtOnce_loseNothing() throws Exception {
    Path store = dir.resolve("secrets.store");
    MasterKey key = runTwoChildren("create-many", store);

    LocalSecretStore reader = new LocalSecretStore(store, key);
    List<String> ids = IntStream.range(0, EACH).mapToObj(i -> "v" + i).toList();
    for (String secret : SECRETS) {
      SecretState state = reader.describe(secret);
      assertThat(state.versions()).extracting(SecretVersion::versionId).isEqualTo(ids);
      assertThat(state.versions())
          .extracting(v -> v.metadata().get("version"))
          .isEqualTo(IntStream.rangeClosed(1, EACH).mapToObj(Integer::toString).toList());
      assertThat(state.labelled(Label.CURRENT).orElseThrow().versionId()).isEqualTo("v39");
      assertThat(state.labelled(Label.PREVIOUS).orElseThrow().versionId()).isEqualTo("v38");
      for (String id : ids) {
        assertThat(reader.material(secret, id)).isEqualTo(StoreChild.value(secret, id));
      }
    }
  }

  /** Proves the test above can fail: the same writes without the lock lose updates. */
  @Test
  void negativeControl_twoWritersWithoutTheLock_loseUpdates() throws Exception {
    Path store = dir.resolve("secrets.store");
    MasterKey key = runTwoChildren("create-many-unlocked", store);

    LocalSecretStore reader = new LocalSecretStore(store, key);
    int survived = 0;
    for (String secret : SECRETS) {
      survived += Files.exists(store) ? versionsOf(reader, secret) : 0;
    }
    assertThat(survived).as("versions left of %d written", 2 * EACH).isLessThan(2 * EACH);
  }

  /** Starts one child per secret, releases them together, waits for both to succeed. */
  private MasterKey runTwoChildren(String mode, Path store) throws Exception {
    Path keyFile = dir.resolve("master.key");
    MasterKey key = MasterKey.createFile(keyFile);
    Path first = dir.resolve("first.ready");
    Path second = dir.resolve("second.ready");
    try (ChildJvm a = start(mode, store, keyFile, first, SECRETS.get(0));
        ChildJvm b = start(mode, store, keyFile, second, SECRETS.get(1))) {
      a.awaitMarker(first);
      b.awaitMarker(second);
      Files.createFile(StoreChild.go(first));
      Files.createFile(StoreChild.go(second));
      a.awaitSuccess();
      b.awaitSuccess();
    }
    return key;
  }

  private ChildJvm start(String mode, Path store, Path keyFile, Path marker, String secret)
      throws Exception {
    return ChildJvm.start(
        StoreChild.class,
        dir.resolve(secret + ".log"),
        mode,
        store.toString(),
        keyFile.toString(),
        marker.toString(),
        secret,
        Integer.toString(EACH));
  }

  private static int versionsOf(SecretStore store, String secret) {
    try {
      return store.describe(secret).versions().size();
    } catch (SecretStoreException e) {
      return 0; // the other writer overwrote even the secret's first version
    }
  }
}
