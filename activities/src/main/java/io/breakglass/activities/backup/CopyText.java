package io.breakglass.activities.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * PostgreSQL's {@code COPY} text format as {@code COPY ... TO STDOUT} writes it: one row per line,
 * fields separated by tabs, {@code \N} for null, and backslash escapes for backslash, tab, newline,
 * carriage return and the other control characters, so a raw tab or newline byte is always a
 * separator. A {@code bytea} value appears in its hex output, {@code \x<hex>}, whose backslash is
 * itself escaped ({@code \\x...}).
 */
final class CopyText {

  private CopyText() {}

  /** The fields of one line (without its newline), still escaped. */
  static List<byte[]> split(byte[] line) {
    List<byte[]> fields = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= line.length; i++) {
      if (i == line.length || line[i] == '\t') {
        byte[] field = new byte[i - start];
        System.arraycopy(line, start, field, 0, field.length);
        fields.add(field);
        start = i + 1;
      }
    }
    return fields;
  }

  /** Whether an escaped field is {@code \N}, SQL null. */
  static boolean isNull(byte[] field) {
    return field.length == 2 && field[0] == '\\' && field[1] == 'N';
  }

  /**
   * The value of an escaped field that is not null, in the client encoding (UTF-8).
   *
   * @throws IllegalArgumentException when the field ends in a lone backslash
   */
  static byte[] unescape(byte[] field) {
    ByteArrayOutputStream value = new ByteArrayOutputStream(field.length);
    int i = 0;
    while (i < field.length) {
      byte b = field[i++];
      if (b != '\\') {
        value.write(b);
        continue;
      }
      if (i == field.length) {
        throw new IllegalArgumentException("a field ends in a lone backslash");
      }
      byte escaped = field[i++];
      switch (escaped) {
        case 'b' -> value.write('\b');
        case 'f' -> value.write('\f');
        case 'n' -> value.write('\n');
        case 'r' -> value.write('\r');
        case 't' -> value.write('\t');
        case 'v' -> value.write(0x0b);
        case 'x' -> {
          int digits = 0;
          int code = 0;
          while (digits < 2 && i < field.length && Character.digit(field[i], 16) >= 0) {
            code = code * 16 + Character.digit(field[i++], 16);
            digits++;
          }
          // "\x" without a hex digit is a plain 'x', as PostgreSQL reads it
          value.write(digits == 0 ? 'x' : code);
        }
        default -> {
          if (escaped >= '0' && escaped <= '7') {
            int code = escaped - '0';
            for (int digits = 1;
                digits < 3 && i < field.length && field[i] >= '0' && field[i] <= '7';
                digits++) {
              code = code * 8 + (field[i++] - '0');
            }
            value.write(code);
          } else {
            value.write(escaped);
          }
        }
      }
    }
    return value.toByteArray();
  }

  /**
   * The bytes of a {@code bytea} value in hex output ({@code \x0102...}, already unescaped).
   *
   * @throws IllegalArgumentException when it is not hex output
   */
  static byte[] bytea(byte[] text) {
    if (text.length < 2 || text[0] != '\\' || text[1] != 'x' || text.length % 2 != 0) {
      throw new IllegalArgumentException("a bytea field is not in hex output");
    }
    return HexFormat.of().parseHex(new String(text, 2, text.length - 2, StandardCharsets.US_ASCII));
  }
}
