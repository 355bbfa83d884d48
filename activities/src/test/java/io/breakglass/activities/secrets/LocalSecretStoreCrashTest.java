package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of a write, in a child JVM. */
class LocalSecretStoreCrashTest {

  @TempDir Path dir;
  private Path store;
  private Path keyFile;
  private MasterKey key;

  @BeforeEach
  void storeWithOneCurrentVersion() {
    store = dir.resolve("secrets.store");
    keyFile = dir.resolve("master.key");
    key = MasterKey.createFile(keyFile);
    LocalSecretStore parent = new LocalSecretStore(store, key);
    parent.createPending("jwt", "v1", StoreChild.value("jwt", "v1"), Map.of());
    parent.moveCurrent("jwt", "v1");
  }

  @Test
  void aWriterKilledBetweenTempFileAndRename_leavesThePreviousStateAndTheNextWriteSucceeds()
      throws Exception {
    byte[] before = Files.readAllBytes(store);
    Path marker = dir.resolve("before-rename");
    Path temp = dir.resolve("secrets.store.tmp");

    try (ChildJvm child = startChild("pause-before-rename", marker)) {
      child.awaitMarker(marker);
      assertThat(temp).as("the child wrote its temp file").exists();
      child.kill();
    }

    assertThat(Files.readAllBytes(store)).isEqualTo(before);
    LocalSecretStore reopened = new LocalSecretStore(store, key);
    assertThat(labels(reopened)).isEqualTo(Map.of("v1", "[CURRENT]"));
    assertThat(temp).as("the killed child's temp file is still there").exists();

    // The child died holding the store lock and leaving its temp file: neither blocks a write.
    reopened.createPending("jwt", "v2", StoreChild.value("jwt", "v2"), Map.of());

    assertThat(labels(new LocalSecretStore(store, key)))
        .isEqualTo(Map.of("v1", "[CURRENT]", "v2", "[PENDING]"));
    assertThat(temp).doesNotExist();
  }

  @Test
  void negativeControl_aWriterKilledRightAfterTheRename_leavesTheNewState() throws Exception {
    Path marker = dir.resolve("after-write");

    try (ChildJvm child = startChild("pause-after-write", marker)) {
      child.awaitMarker(marker);
      child.kill();
    }

    LocalSecretStore reopened = new LocalSecretStore(store, key);
    assertThat(labels(reopened)).isEqualTo(Map.of("v1", "[CURRENT]", "v2", "[PENDING]"));
    assertThat(reopened.material("jwt", "v2")).isEqualTo(StoreChild.value("jwt", "v2"));
  }

  private ChildJvm startChild(String mode, Path marker) throws Exception {
    return ChildJvm.start(
        StoreChild.class,
        dir.resolve(mode + ".log"),
        mode,
        store.toString(),
        keyFile.toString(),
        marker.toString(),
        "jwt",
        "v2");
  }

  private static Map<String, String> labels(SecretStore store) {
    return store.describe("jwt").versions().stream()
        .collect(Collectors.toMap(SecretVersion::versionId, v -> v.labels().toString()));
  }
}
