package io.breakglass.activities.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last lines of a check's output, as they may be recorded in the timeline: at most {@code
 * lines} lines of at most {@link #LINE_LENGTH} characters each, control characters removed, and
 * redacted: the values of the variables the check was given, and every run of {@value
 * #TOKEN_LENGTH} or more base64, base64url or hex characters that has a digit in it (a 32-byte key
 * in base64 is 44, a JWT segment or an API key is longer), become {@code [redacted]}. This is a
 * second line of defence: the first is that a check is given no secret. The output is read as it
 * comes and never held whole, however long it is.
 */
final class OutputTail {

  /** Characters kept of one line. */
  static final int LINE_LENGTH = 240;

  /** The shortest run of key-like characters that is redacted. */
  static final int TOKEN_LENGTH = 32;

  /** Values shorter than this are not redacted: they would blank out ordinary words. */
  private static final int SHORTEST_REDACTED_VALUE = 6;

  private static final Pattern LONG_RUN =
      Pattern.compile("[A-Za-z0-9+/_=-]{" + TOKEN_LENGTH + ",}");

  private static final Pattern DIGIT = Pattern.compile("[0-9]");

  private final int lines;
  private final List<String> redacted;
  private final Deque<String> tail = new ArrayDeque<>();
  private long seen;

  /**
   * @param redacted values that must not appear in what is recorded (the check's variables)
   */
  OutputTail(int lines, List<String> redacted) {
    this.lines = lines;
    this.redacted =
        redacted.stream().filter(v -> v != null && v.length() >= SHORTEST_REDACTED_VALUE).toList();
  }

  /** Reads {@code output} to its end, keeping the last lines. */
  void read(InputStream output) throws IOException {
    Reader reader = new InputStreamReader(output, StandardCharsets.UTF_8);
    StringBuilder line = new StringBuilder();
    boolean cut = false;
    int c;
    while ((c = reader.read()) != -1) {
      if (c == '\n') {
        keep(line, cut);
        line.setLength(0);
        cut = false;
      } else if (line.length() < LINE_LENGTH * 4) {
        // Room for the redaction to see a value whole before the line is cut to LINE_LENGTH.
        line.append((char) c);
      } else {
        cut = true;
      }
    }
    if (!line.isEmpty()) {
      keep(line, cut);
    }
  }

  /** {@code text} with every token-like run redacted, e.g. a configured command line. */
  static String redactTokens(String text) {
    // A long run with a digit in it: keys and tokens have digits, test names like test_x_y do not.
    return LONG_RUN
        .matcher(text)
        .replaceAll(
            run ->
                DIGIT.matcher(run.group()).find()
                    ? "[redacted]"
                    : Matcher.quoteReplacement(run.group()));
  }

  /** Adds one line of text (e.g. a log line read whole). */
  void add(String text) {
    keep(new StringBuilder(text), false);
  }

  private synchronized void keep(StringBuilder raw, boolean cut) {
    seen++;
    if (lines == 0) {
      return;
    }
    String text = raw.toString().replaceAll("\\p{Cntrl}", " ").stripTrailing();
    for (String value : redacted) {
      text = text.replace(value, "[redacted]");
    }
    text = redactTokens(text);
    if (text.length() > LINE_LENGTH) {
      text = text.substring(0, LINE_LENGTH);
      cut = true;
    }
    tail.addLast(cut ? text + " [cut]" : text);
    if (tail.size() > lines) {
      tail.removeFirst();
    }
  }

  /** The kept lines, oldest first. */
  synchronized List<String> lines() {
    return List.copyOf(tail);
  }

  /** How many lines the output had in all. */
  synchronized long seen() {
    return seen;
  }

  /**
   * The kept lines as one text for a result: a header counting what was left out, then the lines.
   */
  synchronized String describe() {
    if (tail.isEmpty()) {
      return "no output";
    }
    String header =
        seen > tail.size() ? "last " + tail.size() + " of " + seen + " output lines" : "output";
    return header + ":\n" + String.join("\n", tail);
  }
}
