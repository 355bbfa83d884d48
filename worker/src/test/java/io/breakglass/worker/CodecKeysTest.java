package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.workflows.codec.CodecKeyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecKeysTest {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).findAndRegisterModules();

  @TempDir Path folder;

  @Test
  void givenKeysInTheEnvironmentAndAFile_theFirstEncryptsAndAllDecrypt() throws Exception {
    Path file = folder.resolve("codec-2026-05.key");
    CodecKeys.createFile(file);
    TemporalConfig config =
        YAML.readValue(
            """
            codec:
              keys:
                - {id: codec-2026-11, env: BREAKGLASS_CODEC_KEY}
                - {id: codec-2026-05, file: %s}
            """
                .formatted(file),
            TemporalConfig.class);

    CodecKeyring keyring =
        CodecKeys.load(config.codec(), Map.of("BREAKGLASS_CODEC_KEY", base64Key())::get);

    assertThat(keyring.primaryId()).isEqualTo("codec-2026-11");
    assertThat(keyring.ids()).containsExactlyInAnyOrder("codec-2026-11", "codec-2026-05");
  }

  @Test
  void aCreatedKeyFile_isOwnerOnly_andIsNeverOverwritten() throws Exception {
    Path file = folder.resolve("dev/codec.key");
    CodecKeys.createFile(file);
    byte[] first = Files.readAllBytes(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(new String(first, StandardCharsets.UTF_8).strip()))
        .hasSize(32);
    assertThatThrownBy(() -> CodecKeys.createFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exists already");
    assertThat(Files.readAllBytes(file)).isEqualTo(first);
  }

  @Test
  void aKeyFileReadableByOthers_isRefused_namingTheKeyAndTheFix() throws Exception {
    Path file = folder.resolve("codec.key");
    CodecKeys.createFile(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> CodecKeys.load(CodecConfig.file("codec-1", file), name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temporal.codec.keys[codec-1]")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void anUnsetVariableOrAShortKey_isRefused_withoutQuotingTheValue() {
    CodecConfig config =
        new CodecConfig(List.of(new CodecConfig.Key("codec-1", "CODEC_KEY", null)));
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> CodecKeys.load(config, name -> null))
        .hasMessageContaining("environment variable CODEC_KEY is not set");
    assertThatThrownBy(() -> CodecKeys.load(config, Map.of("CODEC_KEY", shortKey)::get))
        .hasMessageContaining("holds 16 bytes")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> CodecKeys.load(config, Map.of("CODEC_KEY", "not base64 at all!")::get))
        .hasMessageContaining("does not hold base64")
        .hasMessageNotContaining("not base64 at all");
  }

  @Test
  void aKeyWithBothOrNeitherSource_orTwoKeysWithOneId_isAConfigurationError() {
    assertThatThrownBy(() -> new CodecConfig.Key("codec-1", "CODEC_KEY", Path.of("/k")))
        .hasMessageContaining("exactly one of env");
    assertThatThrownBy(() -> new CodecConfig.Key("codec-1", null, null))
        .hasMessageContaining("exactly one of env");
    assertThatThrownBy(
            () ->
                new CodecConfig(
                    List.of(
                        new CodecConfig.Key("a", "X", null), new CodecConfig.Key("a", "Y", null))))
        .hasMessageContaining("key id a appears twice");
    assertThatThrownBy(() -> new CodecConfig(List.of())).hasMessageContaining("at least one key");
  }

  private static String base64Key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
