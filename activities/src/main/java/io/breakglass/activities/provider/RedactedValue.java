package io.breakglass.activities.provider;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A key value with its middle elided, as a provider lists it ({@code sk-abc...def}, or with
 * asterisks or an ellipsis): it matches a full value that starts with what is shown before the
 * elision and ends with what is shown after it. A form that shows nothing on either side, or shows
 * no elision, matches nothing: it could not tell keys apart.
 */
final class RedactedValue {

  private static final Pattern ELISION = Pattern.compile("\\.{3,}|\u2026|\\*{3,}");

  private RedactedValue() {}

  static boolean matches(String redacted, byte[] value) {
    if (redacted == null) {
      return false;
    }
    String[] parts = ELISION.split(redacted, -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return false;
    }
    String full = new String(value, StandardCharsets.UTF_8).strip();
    return full.length() >= parts[0].length() + parts[1].length()
        && full.startsWith(parts[0])
        && full.endsWith(parts[1]);
  }
}
