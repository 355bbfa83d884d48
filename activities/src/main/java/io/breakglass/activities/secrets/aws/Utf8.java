package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for values kept as SecretString: a value that is not text is refused, not mangled.
 */
final class Utf8 {

  private Utf8() {}

  static String decode(byte[] value) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SecretStoreException(
          RotationErrors.INVALID_REQUEST, "a text secret's value is not UTF-8 text");
    }
  }

  static byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
