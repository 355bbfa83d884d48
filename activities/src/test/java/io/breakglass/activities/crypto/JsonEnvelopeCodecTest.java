package io.breakglass.activities.crypto;

import static io.breakglass.activities.crypto.EnvelopeException.Reason.MALFORMED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.TRUNCATED;
import static io.breakglass.activities.crypto.EnvelopeException.Reason.UNSUPPORTED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JSON form: lenient about order and whitespace, strict about everything else. */
class JsonEnvelopeCodecTest {

  private static final String WHITESPACE = " \t\n\r";

  private final EnvelopeFixture fixture = new EnvelopeFixture();
  private final JsonEnvelopeCodec codec = new JsonEnvelopeCodec();
  private final byte[] plaintext = fixture.plaintext(100);
  private final Envelope envelope = fixture.seal(plaintext, null);
  private final String nonce = Base64.getEncoder().encodeToString(envelope.nonce());
  private final String ciphertext = Base64.getEncoder().encodeToString(envelope.ciphertext());

  @Test
  void everyFieldOrderWithAnyWhitespace_decodesToTheSameEnvelope() {
    List<List<String[]>> orders = permutations(fields());
    assertThat(orders).hasSize(120);
    for (int i = 0; i < orders.size(); i++) {
      String text = json(orders.get(i), true);
      String where = fixture.where("order %d: %s", i, text);

      Envelope decoded = codec.decode(text.getBytes(UTF_8));

      assertThat(decoded).as(where).isEqualTo(envelope);
      assertThat(fixture.cipher.decrypt(decoded, fixture.keyring, null))
          .as(where)
          .isEqualTo(plaintext);
    }
  }

  @Test
  void thePostgresJsonbRendering_decodes() {
    String jsonb =
        "{\"v\": 1, \"alg\": \"AES-256-GCM\", \"kid\": \"orders-db:v7\", \"nonce\": \""
            + nonce
            + "\", \"ciphertext\": \""
            + ciphertext
            + "\"}";

    assertThat(codec.decode(jsonb.getBytes(UTF_8))).isEqualTo(envelope);
  }

  @Test
  void theEncodedFormIsTheDesignedOne() {
    assertThat(new String(codec.encode(envelope), UTF_8))
        .isEqualTo(
            "{\"v\":1,\"kid\":\"orders-db:v7\",\"alg\":\"AES-256-GCM\",\"nonce\":\""
                + nonce
                + "\",\"ciphertext\":\""
                + ciphertext
                + "\"}");
  }

  @Test
  void anUnknownField_isMalformed() {
    for (String[] extra :
        List.of(
            field("aad", "\"MTc=\""),
            field("V", "1"),
            field("Kid", "\"orders-db:v7\""),
            field("", "1"))) {
      List<String[]> fields = fields();
      fields.add(fixture.random.nextInt(fields.size() + 1), extra);
      refused(json(fields, false), MALFORMED);
    }
  }

  @Test
  void aRepeatedField_isMalformed() {
    for (String[] repeated : fields()) {
      List<String[]> fields = fields();
      fields.add(repeated);
      refused(json(fields, false), MALFORMED);
    }
  }

  @Test
  void aMissingField_isMalformed() {
    for (int missing = 0; missing < 5; missing++) {
      List<String[]> fields = fields();
      fields.remove(missing);
      refused(json(fields, false), MALFORMED);
    }
  }

  @Test
  void aFieldOfTheWrongType_isMalformed() {
    List<String> notAString =
        List.of("1", "1.5", "true", "null", "[]", "{}", "[\"orders-db:v7\"]", "{\"a\":\"b\"}");
    List<String> notAnInteger = List.of("\"1\"", "1.0", "1e0", "true", "null", "[1]", "{\"v\":1}");
    for (int i = 0; i < 5; i++) {
      for (String value : i == 0 ? notAnInteger : notAString) {
        List<String[]> fields = fields();
        fields.set(i, field(fields.get(i)[0], value));
        refused(json(fields, false), MALFORMED);
      }
    }
  }

  @Test
  void base64_isAcceptedExactlyWhenItIsWhatTheEncoderWrites() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    JsonEnvelopeCodec codec = new JsonEnvelopeCodec();
    for (int length = 16; length <= 18; length++) {
      String canonical = Base64.getEncoder().encodeToString(new byte[length]);
      String unpadded = canonical.replace("=", "");
      List<String> variants = new ArrayList<>(List.of(canonical, unpadded, unpadded + "="));
      for (char c : alphabet.toCharArray()) {
        String last = unpadded.substring(0, unpadded.length() - 1) + c;
        variants.add(last);
        variants.add(last + canonical.substring(unpadded.length()));
      }
      for (String text : variants) {
        List<String[]> fields = fields();
        fields.set(4, field("ciphertext", "\"" + text + "\""));
        byte[] stored = json(fields, false).getBytes(UTF_8);
        boolean writtenByTheEncoder = isEncoderOutput(text);
        if (writtenByTheEncoder) {
          assertThat(codec.decode(stored).ciphertext())
              .as(text)
              .isEqualTo(Base64.getDecoder().decode(text));
        } else {
          assertThatThrownBy(() -> codec.decode(stored))
              .as(text)
              .isInstanceOf(EnvelopeException.class);
        }
      }
    }
  }

  private static boolean isEncoderOutput(String text) {
    try {
      return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text)).equals(text);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  @Test
  void badBase64InTheNonceOrCiphertext_isMalformed() {
    // One unused low bit of the last base64 character flipped: the same bytes, another text.
    int last = ciphertext.indexOf('=') - 1;
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    String nonCanonical =
        ciphertext.substring(0, last)
            + alphabet.charAt(alphabet.indexOf(ciphertext.charAt(last)) ^ 1)
            + ciphertext.substring(last + 1);
    assertThat(nonCanonical).isNotEqualTo(ciphertext);
    assertThat(Base64.getDecoder().decode(nonCanonical))
        .as("control: the JDK decoder alone accepts it")
        .isEqualTo(envelope.ciphertext());
    List<String> bad =
        List.of(
            "!!!!",
            "A",
            "AAAAA",
            "====",
            nonce + " ",
            " " + nonce,
            nonce.substring(0, 8) + "\\n" + nonce.substring(8),
            "-" + nonce.substring(1),
            "_" + nonce.substring(1),
            nonce + "=",
            nonce + "====",
            ciphertext.replace("=", ""),
            nonCanonical);
    for (String value : bad) {
      for (int i : new int[] {3, 4}) {
        List<String[]> fields = fields();
        fields.set(i, field(fields.get(i)[0], "\"" + value + "\""));
        refused(json(fields, false), MALFORMED);
      }
    }
  }

  @Test
  void jsonThatIsNotAnObject_isMalformed() {
    for (String text :
        List.of(
            "[]",
            "[{}]",
            "\"orders-db:v7\"",
            "1",
            "null",
            "true",
            "[" + json(fields(), false) + "]")) {
      refused(text, MALFORMED);
    }
  }

  @Test
  void textThatIsNotJson_isMalformed() {
    byte[] binary = new BinaryEnvelopeCodec().encode(envelope);
    for (String text :
        List.of(
            "hello",
            "{x}",
            "<v>1</v>",
            "{'v':1}",
            "}",
            "\u0000\u0000",
            new String(binary, UTF_8))) {
      refused(text, MALFORMED);
    }
  }

  @Test
  void contentAfterTheObject_isMalformed() {
    for (String trailing : List.of("{}", "x", "]", "}", "1", ",")) {
      refused(json(fields(), false) + trailing, MALFORMED);
    }
  }

  @Test
  void anotherEnvelopeVersion_isUnsupported() {
    for (String version : List.of("0", "2", "-1", "255", "2147483647")) {
      List<String[]> fields = fields();
      fields.set(0, field("v", version));
      refused(json(fields, false), UNSUPPORTED);
    }
  }

  @Test
  void aVersionBeyondAnyInteger_isRefused() {
    List<String[]> fields = fields();
    fields.set(0, field("v", "99999999999999999999"));
    refused(json(fields, false), MALFORMED, UNSUPPORTED);
  }

  @Test
  void anotherAlgorithm_isUnsupported() {
    for (String alg :
        List.of(
            "AES-128-GCM",
            "aes-256-gcm",
            "AES-256-GCM-SIV",
            "ChaCha20-Poly1305",
            "",
            "AES-256-GCM ")) {
      List<String[]> fields = fields();
      fields.set(2, field("alg", "\"" + alg + "\""));
      refused(json(fields, false), UNSUPPORTED);
    }
  }

  @Test
  void emptyInput_isTruncated() {
    fixture.refuses(fixture.where("empty"), () -> codec.decode(new byte[0]), TRUNCATED);
    fixture.refuses(fixture.where("null"), () -> codec.decode(null), TRUNCATED);
  }

  @Test
  void aNonceThatIsNot12Bytes_isMalformed() {
    for (int length : new int[] {0, 11, 13, 16}) {
      List<String[]> fields = fields();
      fields.set(
          3,
          field("nonce", "\"" + Base64.getEncoder().encodeToString(fixture.bytes(length)) + "\""));
      refused(json(fields, false), MALFORMED);
    }
  }

  @Test
  void aCiphertextShorterThanItsTag_isTruncated() {
    for (int length : new int[] {0, 1, 15}) {
      List<String[]> fields = fields();
      fields.set(
          4,
          field(
              "ciphertext",
              "\"" + Base64.getEncoder().encodeToString(fixture.bytes(length)) + "\""));
      refused(json(fields, false), TRUNCATED);
    }
  }

  @Test
  void aKeyIdThatIsNotSecretColonVersion_isMalformed() {
    for (String kid : List.of("", "orders-db", ":v7", "orders-db:", ":")) {
      List<String[]> fields = fields();
      fields.set(1, field("kid", "\"" + kid + "\""));
      refused(json(fields, false), MALFORMED);
    }
  }

  private void refused(String text, EnvelopeException.Reason... expected) {
    fixture.refuses(fixture.where("%s", text), () -> codec.decode(text.getBytes(UTF_8)), expected);
  }

  private List<String[]> fields() {
    return new ArrayList<>(
        List.of(
            field("v", "1"),
            field("kid", "\"" + envelope.keyId() + "\""),
            field("alg", "\"AES-256-GCM\""),
            field("nonce", "\"" + nonce + "\""),
            field("ciphertext", "\"" + ciphertext + "\"")));
  }

  private static String[] field(String name, String rawValue) {
    return new String[] {name, rawValue};
  }

  /** The fields as a JSON object, with seeded random whitespace between tokens if asked. */
  private String json(List<String[]> fields, boolean whitespace) {
    StringBuilder text = new StringBuilder(pad(whitespace)).append('{');
    for (int i = 0; i < fields.size(); i++) {
      text.append(i == 0 ? "" : ",")
          .append(pad(whitespace))
          .append('"')
          .append(fields.get(i)[0])
          .append('"')
          .append(pad(whitespace))
          .append(':')
          .append(pad(whitespace))
          .append(fields.get(i)[1])
          .append(pad(whitespace));
    }
    return text.append('}').append(pad(whitespace)).toString();
  }

  private String pad(boolean whitespace) {
    if (!whitespace) {
      return "";
    }
    return fixture
        .random
        .ints(fixture.random.nextInt(4), 0, WHITESPACE.length())
        .mapToObj(i -> String.valueOf(WHITESPACE.charAt(i)))
        .collect(Collectors.joining());
  }

  private static List<List<String[]>> permutations(List<String[]> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<String[]>> all = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<String[]> rest = new ArrayList<>(items);
      String[] first = rest.remove(i);
      for (List<String[]> tail : permutations(rest)) {
        List<String[]> order = new ArrayList<>();
        order.add(first);
        order.addAll(tail);
        all.add(order);
      }
    }
    return all;
  }
}
