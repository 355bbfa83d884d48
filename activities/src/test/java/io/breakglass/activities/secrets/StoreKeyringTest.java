package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.crypto.SecretKey;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreKeyringTest {

  private static final String SECRET = "artifact-encryption-key";

  @TempDir Path dir;
  private Path file;
  private LocalSecretStore store;
  private final byte[] v1 = random(32);
  private final byte[] v2 = random(32);

  @BeforeEach
  void twoVersions() {
    file = dir.resolve("secrets.store");
    store = new LocalSecretStore(file, TestMasterKeys.random());
    store.createPending(SECRET, "v1", v1, Map.of());
    store.moveCurrent(SECRET, "v1");
    store.createPending(SECRET, "v2", v2, Map.of());
    store.moveCurrent(SECRET, "v2");
  }

  @Test
  void aKeyId_resolvesToItsVersionsMaterialAsAnAes256Key() {
    StoreKeyring keyring = new StoreKeyring(store);

    SecretKey key = keyring.key(new KeyId(SECRET, "v1"));

    assertThat(key.getAlgorithm()).isEqualTo("AES");
    assertThat(key.getEncoded()).isEqualTo(v1);
    assertThat(keyring.key(new KeyId(SECRET, "v2")).getEncoded()).isEqualTo(v2);
  }

  @Test
  void aResolvedKey_isCachedAndNoLongerReadFromTheStore() throws Exception {
    StoreKeyring keyring = new StoreKeyring(store);
    KeyId id = new KeyId(SECRET, "v1");
    SecretKey first = keyring.key(id);
    Files.write(file, new byte[] {'n', 'o', 't', ' ', 'a', ' ', 's', 't', 'o', 'r', 'e'});

    assertThat(keyring.key(id)).isSameAs(first);
    // Control: the broken file does stop a keyring that has to read the store.
    assertThatThrownBy(() -> new StoreKeyring(store).key(id))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining("is not a breakglass local secret store");
  }

  @Test
  void manyThreadsAskingForOneKey_getTheSameKey() throws Exception {
    StoreKeyring keyring = new StoreKeyring(store);
    KeyId id = new KeyId(SECRET, "v2");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<SecretKey>> calls =
          IntStream.range(0, 8).<Callable<SecretKey>>mapToObj(i -> () -> keyring.key(id)).toList();
      List<SecretKey> keys = pool.invokeAll(calls).stream().map(StoreKeyringTest::get).toList();
      assertThat(keys).allSatisfy(k -> assertThat(k).isSameAs(keys.get(0)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRevokedVersion_isAnUnknownKeyIdSayingWhy() {
    store.revoke(SECRET, "v1", "inc-9");

    assertUnknown(
        () -> new StoreKeyring(store).key(new KeyId(SECRET, "v1")),
        SECRET + ":v1: the version is revoked");
  }

  @Test
  void aDiscardedVersion_stillResolvesBecauseNothingIsDestroyed() {
    store.createPending(SECRET, "v3", random(32), Map.of());
    store.discard(SECRET, "v3");

    assertThat(new StoreKeyring(store).key(new KeyId(SECRET, "v3")).getEncoded()).hasSize(32);
  }

  @Test
  void anUnknownVersionOrSecret_isAnUnknownKeyIdNamingIt() {
    StoreKeyring keyring = new StoreKeyring(store);

    assertUnknown(() -> keyring.key(new KeyId(SECRET, "v9")), SECRET + ":v9: no such version");
    assertUnknown(
        () -> keyring.key(new KeyId("nope", "v1")), "nope:v1: secret nope does not exist");
  }

  @Test
  void aFailedLookup_isNotCachedSoALaterVersionResolves() {
    StoreKeyring keyring = new StoreKeyring(store);
    KeyId id = new KeyId(SECRET, "v3");
    assertUnknown(() -> keyring.key(id), "no such version");
    byte[] v3 = random(32);

    store.createPending(SECRET, "v3", v3, Map.of());

    assertThat(keyring.key(id).getEncoded()).isEqualTo(v3);
  }

  @Test
  void materialThatIsNot32Bytes_isRefused() {
    store.createPending("jwt", "s1", random(64), Map.of());

    assertUnknown(
        () -> new StoreKeyring(store).key(new KeyId("jwt", "s1")),
        "jwt:s1 is not a 32-byte data key");
  }

  private static void assertUnknown(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.UNKNOWN_KEY_ID))
        .hasMessageContaining(message);
  }

  private static SecretKey get(Future<SecretKey> future) {
    try {
      return future.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
