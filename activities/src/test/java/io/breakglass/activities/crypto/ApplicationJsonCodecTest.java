package io.breakglass.activities.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.FormatProfile;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * An application's own JSON envelope, built here the way the application builds it (plain JCE
 * AES-GCM, no Breakglass code), read and written in that form.
 */
class ApplicationJsonCodecTest {

  private static final String SECRET = "notes-key";
  private static final byte[] KEY = random(32);
  private static final byte[] NONCE = random(12);
  private static final byte[] PLAINTEXT = "a note".getBytes(UTF_8);
  private static final byte[] AAD = "17".getBytes(UTF_8);

  private static final FormatProfile SEPARATE_TAG =
      new FormatProfile(
          FormatProfile.Kind.APPLICATION_JSON,
          "data",
          "iv",
          "tag",
          null,
          FormatProfile.Encoding.BASE64,
          Map.of("scheme", "notes-aesgcm"),
          null);
  private static final FormatProfile KEYED_HEX =
      new FormatProfile(
          FormatProfile.Kind.APPLICATION_JSON,
          "ct",
          "nonce",
          null,
          "key_version",
          FormatProfile.Encoding.HEX,
          null,
          null);

  private final KeyId keyId = new KeyId(SECRET, "v1");
  private final FixedKeyring keyring = new FixedKeyring().with(keyId, KEY);
  private final byte[] sealed = jceSeal();

  @Test
  void anEnvelopeWithoutKeyId_decodesToOneThatNamesOnlyItsSecret_andDecryptsByTrial() {
    String b64 =
        "{\"tag\":\""
            + b64(sealed, sealed.length - 16, sealed.length)
            + "\", \"scheme\":\"notes-aesgcm\","
            + " \"iv\":\""
            + b64(NONCE, 0, 12)
            + "\",\"data\":\""
            + b64(sealed, 0, sealed.length - 16)
            + "\"}";

    Envelope envelope = new ApplicationJsonCodec(SECRET, SEPARATE_TAG).decode(b64.getBytes(UTF_8));

    assertThat(envelope.keyId()).isNull();
    assertThat(envelope.secret()).isEqualTo(SECRET);
    EnvelopeCipher.Opened opened = new EnvelopeCipher().open(envelope, keyring, AAD);
    assertThat(opened.keyId()).isEqualTo(keyId);
    assertThat(opened.plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void whatItWrites_isTheApplicationsForm_andDecryptsWithPlainJce() throws Exception {
    ApplicationJsonCodec codec = new ApplicationJsonCodec(SECRET, SEPARATE_TAG);
    Envelope envelope =
        new EnvelopeCipher().encrypt(keyId, new SecretKeySpec(KEY, "AES"), PLAINTEXT, AAD);

    String written = new String(codec.encode(envelope), UTF_8);

    assertThat(written)
        .matches(
            "\\{\"scheme\":\"notes-aesgcm\",\"iv\":\"[^\"]+\",\"data\":\"[^\"]+\",\"tag\":\"[^\"]+\"}");
    byte[] data = field(written, "data");
    byte[] tag = field(written, "tag");
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(KEY, "AES"),
        new GCMParameterSpec(128, field(written, "iv")));
    cipher.updateAAD(AAD);
    cipher.update(data);
    assertThat(cipher.doFinal(tag)).isEqualTo(PLAINTEXT);
  }

  @Test
  void aKeyIdField_namesTheVersion_andHexIsReadInEitherCase() {
    ApplicationJsonCodec codec = new ApplicationJsonCodec(SECRET, KEYED_HEX);
    String upper =
        "{\"key_version\":\"v1\",\"nonce\":\""
            + HexFormat.of().formatHex(NONCE).toUpperCase(Locale.ROOT)
            + "\",\"ct\":\""
            + HexFormat.of().formatHex(sealed)
            + "\"}";

    Envelope envelope = codec.decode(upper.getBytes(UTF_8));

    assertThat(envelope.keyId()).isEqualTo(keyId);
    assertThat(new EnvelopeCipher().decrypt(envelope, keyring, AAD)).isEqualTo(PLAINTEXT);
    assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
    assertThat(new String(codec.encode(envelope), UTF_8))
        .startsWith("{\"key_version\":\"v1\",\"nonce\":\"")
        .doesNotContain(HexFormat.of().formatHex(NONCE).toUpperCase(Locale.ROOT));
  }

  @Test
  void whatTheProfileDoesNotDescribe_isRefused_soARewriteLosesNothing() {
    ApplicationJsonCodec codec = new ApplicationJsonCodec(SECRET, SEPARATE_TAG);
    String iv = b64(NONCE, 0, 12);
    String data = b64(sealed, 0, sealed.length - 16);
    String tag = b64(sealed, sealed.length - 16, sealed.length);
    Map<String, EnvelopeException.Reason> refused =
        Map.of(
            "{\"scheme\":\"notes-aesgcm\",\"iv\":\""
                + iv
                + "\",\"data\":\""
                + data
                + "\",\"tag\":\""
                + tag
                + "\",\"owner\":\"ann\"}",
            EnvelopeException.Reason.MALFORMED,
            "{\"iv\":\"" + iv + "\",\"data\":\"" + data + "\",\"tag\":\"" + tag + "\"}",
            EnvelopeException.Reason.MALFORMED,
            "{\"scheme\":\"notes-aesgcm-2\",\"iv\":\""
                + iv
                + "\",\"data\":\""
                + data
                + "\",\"tag\":\""
                + tag
                + "\"}",
            EnvelopeException.Reason.UNSUPPORTED,
            "{\"scheme\":\"notes-aesgcm\",\"iv\":\""
                + iv
                + "\",\"data\":\""
                + data
                + "\",\"tag\":\"AAAA\"}",
            EnvelopeException.Reason.MALFORMED,
            "{\"scheme\":\"notes-aesgcm\",\"iv\":\""
                + iv
                + "\",\"data\":\""
                + data
                + "\",\"tag\":\"not base64!\"}",
            EnvelopeException.Reason.MALFORMED,
            "{\"scheme\":\"notes-aesgcm\",\"iv\":\"" + iv,
            EnvelopeException.Reason.TRUNCATED);
    refused.forEach(
        (text, reason) ->
            assertThatThrownBy(() -> codec.decode(text.getBytes(UTF_8)))
                .as(text)
                .isInstanceOfSatisfying(
                    EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason)));
  }

  @Test
  void aProfileWithoutCiphertextOrNonceField_orWithAFieldTwice_isRefused() {
    assertThatThrownBy(
            () ->
                new ApplicationJsonCodec(
                    SECRET,
                    new FormatProfile(
                        FormatProfile.Kind.APPLICATION_JSON,
                        "data",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)))
        .hasMessageContaining("ciphertextField and nonceField");
    assertThatThrownBy(
            () ->
                new ApplicationJsonCodec(
                    SECRET,
                    new FormatProfile(
                        FormatProfile.Kind.APPLICATION_JSON,
                        "data",
                        "iv",
                        "iv",
                        null,
                        null,
                        null,
                        null)))
        .hasMessageContaining("names a field twice");
  }

  private static byte[] jceSeal() {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, NONCE));
      cipher.updateAAD(AAD);
      return cipher.doFinal(PLAINTEXT);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] field(String json, String name) {
    int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
    return Base64.getDecoder().decode(json.substring(start, json.indexOf('"', start)));
  }

  private static String b64(byte[] bytes, int from, int to) {
    return Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, from, to));
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
