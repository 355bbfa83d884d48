package io.breakglass.activities.reencrypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.FormatProfile;
import io.breakglass.activities.crypto.ApplicationJsonCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ArtifactDirectoryStore;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder in an application's own JSON envelope, written with plain JCE: re-encrypted in that
 * form, bound to the same constant, readable by the application afterwards.
 */
class ApplicationFormatReencryptionTest {

  private static final String SECRET = "notes-key";
  private static final int FILES = 6;
  private static final String BINDING = "notes/v1";
  private static final ShardRange ALL = new ShardRange(0, null, null);

  @TempDir Path root;
  private LocalSecretStore store;
  private KeyId v1;
  private KeyId v2;

  @BeforeEach
  void seed() throws Exception {
    store = LocalStores.in(Files.createDirectories(root.resolve("store")));
    v1 = new KeyId(SECRET, LocalStores.initialise(store, SECRET, 32));
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    store.createPending(SECRET, "v2", material, Map.of());
    v2 = new KeyId(SECRET, "v2");
    Files.createDirectories(root.resolve("notes"));
  }

  @Test
  void aKeyedHexFormat_isRewrittenInItsOwnForm_underTheNewVersion_boundToTheSameConstant()
      throws Exception {
    FormatProfile profile =
        new FormatProfile(
            FormatProfile.Kind.APPLICATION_JSON,
            "ct",
            "nonce",
            null,
            "kv",
            FormatProfile.Encoding.HEX,
            null,
            BINDING);
    for (int i = 0; i < FILES; i++) {
      Files.writeString(
          root.resolve("notes/" + i + ".json"),
          "{\"kv\":\""
              + v1.versionId()
              + "\",\"nonce\":\""
              + HexFormat.of().formatHex(nonce(i))
              + "\",\"ct\":\""
              + HexFormat.of().formatHex(seal(v1, nonce(i), "note " + i, BINDING))
              + "\"}");
    }
    ArtifactDirectoryStore folder = ArtifactDirectoryStore.create(config(profile));
    ApplicationJsonCodec codec = new ApplicationJsonCodec(SECRET, profile);

    ShardCheckpoint done =
        new ShardReencryptor(folder, codec, new StoreKeyring(store), 4)
            .run(ALL, v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(done.reencrypted()).isEqualTo(FILES);
    for (int i = 0; i < FILES; i++) {
      JsonNode written = new ObjectMapper().readTree(root.resolve("notes/" + i + ".json").toFile());
      assertThat(written.fieldNames()).toIterable().containsExactly("kv", "nonce", "ct");
      assertThat(written.get("kv").asText()).isEqualTo("v2");
      assertThat(
              open(
                  v2,
                  HexFormat.of().parseHex(written.get("nonce").asText()),
                  HexFormat.of().parseHex(written.get("ct").asText()),
                  BINDING))
          .isEqualTo("note " + i);
    }
  }

  @Test
  void aFormatWithoutKeyId_isMovedOnce_andARerunFindsEveryItemAlreadyUnderTheTarget()
      throws Exception {
    FormatProfile profile =
        new FormatProfile(
            FormatProfile.Kind.APPLICATION_JSON,
            "data",
            "iv",
            null,
            null,
            FormatProfile.Encoding.BASE64,
            null,
            BINDING);
    for (int i = 0; i < FILES; i++) {
      Files.writeString(
          root.resolve("notes/" + i + ".json"),
          "{\"iv\":\""
              + b64(nonce(i))
              + "\",\"data\":\""
              + b64(seal(v1, nonce(i), "note " + i, BINDING))
              + "\"}");
    }
    ArtifactDirectoryStore folder = ArtifactDirectoryStore.create(config(profile));
    ApplicationJsonCodec codec = new ApplicationJsonCodec(SECRET, profile);
    assertThat(scan(folder, codec).itemsByKeyId()).isEqualTo(Map.of(v1.toString(), (long) FILES));

    ShardCheckpoint first =
        new ShardReencryptor(folder, codec, new StoreKeyring(store), 4)
            .run(ALL, v2, Set.of(), ShardCheckpoint.start(), c -> {});
    ShardCheckpoint again =
        new ShardReencryptor(folder, codec, new StoreKeyring(store), 4)
            .run(ALL, v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(first.reencrypted()).isEqualTo(FILES);
    assertThat(again.reencrypted()).isZero();
    assertThat(again.alreadyTarget()).isEqualTo(FILES);
    assertThat(scan(folder, codec).itemsByKeyId()).isEqualTo(Map.of(v2.toString(), (long) FILES));
  }

  @Test
  void itemsBoundToAnotherConstant_stopTheShardBeforeAnyWrite() throws Exception {
    FormatProfile profile =
        new FormatProfile(
            FormatProfile.Kind.APPLICATION_JSON,
            "data",
            "iv",
            null,
            null,
            FormatProfile.Encoding.BASE64,
            null,
            BINDING);
    String stored =
        "{\"iv\":\""
            + b64(nonce(0))
            + "\",\"data\":\""
            + b64(seal(v1, nonce(0), "note", "notes/v0"))
            + "\"}";
    Files.writeString(root.resolve("notes/0.json"), stored);
    ArtifactDirectoryStore folder = ArtifactDirectoryStore.create(config(profile));

    assertThatThrownBy(
            () ->
                new ShardReencryptor(
                        folder,
                        new ApplicationJsonCodec(SECRET, profile),
                        new StoreKeyring(store),
                        4)
                    .run(ALL, v2, Set.of(), ShardCheckpoint.start(), c -> {}))
        .isInstanceOf(UndecryptableItemException.class)
        .hasMessageContaining("item 0.json does not decrypt: AUTHENTICATION_FAILED");
    assertThat(Files.readString(root.resolve("notes/0.json"))).isEqualTo(stored);
  }

  private DataSetConfig config(FormatProfile profile) {
    return new DataSetConfig(
            "notes",
            SECRET,
            DataSetType.ARTIFACT_DIRECTORY,
            null,
            null,
            null,
            null,
            null,
            root.resolve("notes"),
            AssociatedDataMode.CONSTANT,
            10,
            4,
            1,
            0,
            null)
        .withProfile(profile);
  }

  private ScanReport scan(ArtifactDirectoryStore folder, ApplicationJsonCodec codec) {
    return new DataSetScanner("notes", folder, codec, new StoreKeyring(store)).scan(10, n -> {});
  }

  private byte[] seal(KeyId key, byte[] nonce, String note, String binding) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(store.material(SECRET, key.versionId()), "AES"),
        new GCMParameterSpec(128, nonce));
    cipher.updateAAD(binding.getBytes(UTF_8));
    return cipher.doFinal(note.getBytes(UTF_8));
  }

  private String open(KeyId key, byte[] nonce, byte[] sealed, String binding) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(store.material(SECRET, key.versionId()), "AES"),
        new GCMParameterSpec(128, nonce));
    cipher.updateAAD(binding.getBytes(UTF_8));
    return new String(cipher.doFinal(sealed), UTF_8);
  }

  private static byte[] nonce(int i) {
    byte[] nonce = new byte[12];
    nonce[0] = (byte) i;
    nonce[11] = 7;
    return nonce;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
