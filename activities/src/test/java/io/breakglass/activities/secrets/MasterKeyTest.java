package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.workflows.RotationErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

  private static final String VARIABLE = "BREAKGLASS_MASTER_KEY";

  @TempDir Path dir;

  @Test
  void theEnvironmentVariable_beatsTheFile() throws Exception {
    byte[] fromEnv = randomKey();
    Path file = keyFile("file.key", randomKey(), "rw-------");

    MasterKey key = MasterKey.load(config(file), Map.of(VARIABLE, base64(fromEnv))::get);

    assertThat(key.key().getEncoded()).isEqualTo(fromEnv);
    assertThat(key).hasToString("MasterKey(from environment variable " + VARIABLE + ")");
  }

  @Test
  void withoutTheVariable_theKeyComesFromAnOwnerOnlyFile() throws Exception {
    byte[] fromFile = randomKey();
    Path readWrite = keyFile("rw.key", fromFile, "rw-------");
    Path readOnly = keyFile("r.key", fromFile, "r--------");

    assertThat(MasterKey.load(config(readWrite), name -> null).key().getEncoded())
        .isEqualTo(fromFile);
    assertThat(MasterKey.load(config(readOnly), name -> "  ").key().getEncoded())
        .isEqualTo(fromFile);
  }

  @Test
  void aFileOthersCanRead_isRefusedWithTheChmodToRun() throws Exception {
    Path file = keyFile("open.key", randomKey(), "rw-r--r--");

    assertInvalid(
        () -> MasterKey.load(config(file), name -> null),
        "master key file " + file + " is readable by others (mode rw-r--r--); chmod 600 " + file);
  }

  @Test
  void aFileOthersCanWriteOrThatIsExecutable_isRefusedToo() throws Exception {
    Path groupWritable = keyFile("gw.key", randomKey(), "rw--w----");
    Path executable = keyFile("x.key", randomKey(), "rwx------");

    assertInvalid(
        () -> MasterKey.load(config(groupWritable), name -> null),
        "is open to others (mode rw--w----); chmod 600");
    assertInvalid(
        () -> MasterKey.load(config(executable), name -> null),
        "is not mode 600 or 400 (mode rwx------); chmod 600");
  }

  @Test
  void neitherVariableNorFile_isRefusedNamingBoth() {
    Path missing = dir.resolve("missing.key");

    assertInvalid(
        () -> MasterKey.load(config(missing), name -> null),
        "no master key: set environment variable " + VARIABLE + " or create " + missing);
    assertInvalid(
        () -> MasterKey.load(new LocalSecretStoreConfig(dir.resolve("s"), null, null), n -> null),
        "no master key: set environment variable " + VARIABLE);
  }

  @Test
  void aValueThatIsNotBase64Of32Bytes_isRefusedWithoutQuotingIt() {
    ThrowingCallable notBase64 =
        () -> MasterKey.load(config(null), Map.of(VARIABLE, "not*base64*secret")::get);
    assertInvalid(notBase64, "environment variable " + VARIABLE + " does not hold base64");
    assertThatThrownBy(notBase64).message().doesNotContain("not*base64*secret");
    assertInvalid(
        () -> MasterKey.load(config(null), Map.of(VARIABLE, base64(new byte[16]))::get),
        "holds 16 bytes; a master key is 32 bytes");
  }

  @Test
  void createFile_writesAnOwnerOnlyKeyThatLoadsBack() throws Exception {
    Path file = dir.resolve("dev/master.key");

    MasterKey created = MasterKey.createFile(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(MasterKey.load(config(file), name -> null).key().getEncoded())
        .isEqualTo(created.key().getEncoded())
        .hasSize(32);
    assertThat(created.toString()).isEqualTo("MasterKey(from file " + file + ")");
  }

  @Test
  void createFile_refusesToOverwriteAnExistingKey() throws Exception {
    Path file = dir.resolve("master.key");
    MasterKey first = MasterKey.createFile(file);
    byte[] before = Files.readAllBytes(file);

    assertInvalid(() -> MasterKey.createFile(file), "exists already; refusing to overwrite it");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(MasterKey.load(config(file), name -> null).key().getEncoded())
        .isEqualTo(first.key().getEncoded());
  }

  private LocalSecretStoreConfig config(Path keyFile) {
    return new LocalSecretStoreConfig(dir.resolve("secrets.store"), null, keyFile);
  }

  private Path keyFile(String name, byte[] key, String mode) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, base64(key) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void assertInvalid(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SecretStoreException.class,
            e -> assertThat(e.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION))
        .hasMessageContaining(message);
  }
}
