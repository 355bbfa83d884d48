package io.breakglass.api.logging;

/**
 * Text from requests (reasons, comments, paths, headers) made safe for a log line or an audit row,
 * so that nobody can forge a line by typing a line break. Tabs are kept; every other control
 * character, and the Unicode line and paragraph separators, are written as escapes.
 */
public final class LogText {

  /** What a line break inside one log event becomes: a new line that cannot pass for an event. */
  public static final String CONTINUATION = "\n  | ";

  private LogText() {}

  /**
   * The text on one line: a line feed as backslash and {@code n}, a carriage return as backslash
   * and {@code r}, other control characters as a backslash, {@code u} and four hex digits.
   */
  public static String oneLine(String text) {
    return escape(text, null);
  }

  /**
   * The text with each line break (LF, CRLF, CR, NEL, U+2028, U+2029) turned into {@link
   * #CONTINUATION}, so a multi-line message stays readable but every line after the first is marked
   * as part of it; other control characters are escaped as in {@link #oneLine}.
   */
  public static String continued(String text) {
    return escape(text, CONTINUATION);
  }

  private static String escape(String text, String lineBreak) {
    if (text == null || text.chars().noneMatch(LogText::unsafe)) {
      return text;
    }
    StringBuilder safe = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
      if (lineBreak != null
          && (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029')) {
        safe.append(lineBreak);
        i += crlf ? 1 : 0;
      } else if (c == '\n') {
        safe.append("\\n");
      } else if (c == '\r') {
        safe.append("\\r");
      } else if (unsafe(c)) {
        safe.append(String.format("\\u%04x", (int) c));
      } else {
        safe.append(c);
      }
    }
    return safe.toString();
  }

  private static boolean unsafe(int c) {
    return c != '\t'
        && (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029');
  }
}
