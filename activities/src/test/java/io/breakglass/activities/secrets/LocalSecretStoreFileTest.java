package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.workflows.RotationErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store's file: persistence, encryption, permissions, atomic replacement. */
class LocalSecretStoreFileTest {

  private static final Map<String, String> META = Map.of("rotationId", "inc-7");

  @TempDir Path dir;

  @Test
  void aNewStoreOnTheSameFile_seesEveryVersionLabelStatusAndStagedValue() {
    Path file = dir.resolve("secrets.store");
    MasterKey key = TestMasterKeys.random();
    LocalSecretStore first = new LocalSecretStore(file, key);
    first.createPending("jwt", "v1", bytes("one"), META);
    first.moveCurrent("jwt", "v1");
    first.createPending("jwt", "v2", bytes("two"), META);
    first.moveCurrent("jwt", "v2");
    first.revoke("jwt", "v1", "inc-8");
    first.stage("openai", bytes("sk-staged"));

    LocalSecretStore second = new LocalSecretStore(file, key);

    assertThat(second.describe("jwt")).isEqualTo(first.describe("jwt"));
    assertThat(second.material("jwt", "v1")).isEqualTo(bytes("one"));
    assertThat(second.staged("openai")).isEqualTo(bytes("sk-staged"));
  }

  @Test
  void anotherMasterKey_isRefusedWithAClearConfigurationErrorAndTheFileIsLeftAlone()
      throws Exception {
    Path file = dir.resolve("secrets.store");
    new LocalSecretStore(file, TestMasterKeys.random())
        .createPending("jwt", "v1", bytes("one"), META);
    byte[] before = Files.readAllBytes(file);
    LocalSecretStore wrong = new LocalSecretStore(file, TestMasterKeys.random());

    assertRefused(() -> wrong.describe("jwt"), "master key does not open " + file);
    assertRefused(
        () -> wrong.createPending("jwt", "v2", bytes("two"), META),
        "master key does not open " + file);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aTamperedFile_doesNotOpen() throws Exception {
    Path file = dir.resolve("secrets.store");
    MasterKey key = TestMasterKeys.random();
    new LocalSecretStore(file, key).createPending("jwt", "v1", bytes("one"), META);
    byte[] content = Files.readAllBytes(file);
    content[content.length - 20] ^= 1;
    Files.write(file, content);

    assertRefused(
        () -> new LocalSecretStore(file, key).describe("jwt"), "master key does not open");
  }

  @Test
  void aFileThatIsNotAStore_isRefusedAsSuch() throws Exception {
    Path json = dir.resolve("plain.json");
    Files.writeString(json, "{\"secrets\":{}}");
    Path empty = dir.resolve("empty.store");
    Files.write(empty, new byte[0]);
    Path future = dir.resolve("future.store");
    Files.write(future, new byte[] {'B', 'G', 'L', 'S', 9, 0, 0});
    MasterKey key = TestMasterKeys.random();

    assertRefused(
        () -> new LocalSecretStore(json, key).describe("jwt"),
        json + " is not a breakglass local secret store");
    assertRefused(
        () -> new LocalSecretStore(empty, key).describe("jwt"),
        empty + " is not a breakglass local secret store");
    assertRefused(
        () -> new LocalSecretStore(future, key).describe("jwt"), "store format version 9");
  }

  @Test
  void theFile_holdsNoMaterialNameOrMetadataInTheClearAndOnlyItsOwnerCanReadIt() throws Exception {
    Path file = dir.resolve("secrets.store");
    LocalSecretStore store = new LocalSecretStore(file, TestMasterKeys.random());
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    store.createPending(
        "artifact-encryption-key",
        "6c1d-version",
        material,
        Map.of("rotationId", "incident-rotation-77"));
    store.stage("openai", bytes("sk-live-recognisable"));

    String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);

    assertThat(raw)
        .doesNotContain(new String(material, StandardCharsets.ISO_8859_1))
        .doesNotContain(Base64.getEncoder().encodeToString(material))
        .doesNotContain(HexFormat.of().formatHex(material))
        .doesNotContain("artifact-encryption-key")
        .doesNotContain("6c1d-version")
        .doesNotContain("incident-rotation-77")
        .doesNotContain("sk-live")
        .doesNotContain("CURRENT")
        .startsWith("BGLS\u0001");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("secrets.store.lock"))))
        .isEqualTo("rw-------");
  }

  @Test
  void open_buildsTheStoreAndKeyTheConfigurationNames() {
    Path keyFile = dir.resolve("master.key");
    MasterKey key = MasterKey.createFile(keyFile);
    Path file = dir.resolve("secrets.store");
    LocalSecretStore configured =
        LocalSecretStore.open(
            new LocalSecretStoreConfig(file, "BREAKGLASS_TEST_VARIABLE_NOBODY_SETS", keyFile));

    configured.createPending("jwt", "v1", bytes("one"), META);

    assertThat(new LocalSecretStore(file, key).material("jwt", "v1")).isEqualTo(bytes("one"));
    assertThat(configured).hasToString("LocalSecretStore(" + file + ")");
  }

  @Test
  void aMissingFile_isAnEmptyStoreCreatedByTheFirstWrite() {
    Path file = dir.resolve("new/dir/secrets.store");
    LocalSecretStore store = new LocalSecretStore(file, TestMasterKeys.random());

    assertThatThrownBy(() -> store.describe("jwt")).hasMessage("secret jwt does not exist");
    assertThat(store.staged("openai")).isNull();
    store.clearStaged("openai");
    assertThat(file).doesNotExist();

    store.createPending("jwt", "v1", bytes("one"), META);
    assertThat(file).exists();
  }

  @Test
  void aStaleTempFileLeftByACrashedWriter_doesNotBreakTheNextWrite() throws Exception {
    Path file = dir.resolve("secrets.store");
    MasterKey key = TestMasterKeys.random();
    LocalSecretStore store = new LocalSecretStore(file, key);
    store.createPending("jwt", "v1", bytes("one"), META);
    Path temp = dir.resolve("secrets.store.tmp");
    Files.write(temp, bytes("half a store file from a writer that died"));

    store.moveCurrent("jwt", "v1");

    assertThat(temp).doesNotExist();
    assertThat(new LocalSecretStore(file, key).describe("jwt").labelled(Label.CURRENT))
        .hasValueSatisfying(v -> assertThat(v.versionId()).isEqualTo("v1"));
  }

  @Test
  void manyThreadsOnTwoStoreInstancesOfOneFile_loseNoVersion() throws Exception {
    Path file = dir.resolve("secrets.store");
    MasterKey key = TestMasterKeys.random();
    List<LocalSecretStore> stores =
        List.of(new LocalSecretStore(file, key), new LocalSecretStore(file, key));
    int threads = 4;
    int perThread = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        LocalSecretStore store = stores.get(t % 2);
        String secret = "secret-" + t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    store.createPending(secret, "v" + i, bytes(secret + i), META);
                    store.moveCurrent(secret, "v" + i);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    LocalSecretStore reader = new LocalSecretStore(file, key);
    for (int t = 0; t < threads; t++) {
      assertThat(reader.describe("secret-" + t).versions()).hasSize(perThread);
    }
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SecretStoreException.class,
            e -> assertThat(e.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION))
        .hasMessageContaining(message)
        .hasNoCause();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
