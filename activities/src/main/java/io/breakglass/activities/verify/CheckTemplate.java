package io.breakglass.activities.verify;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a smoke check's text: {@code ${keyId:<secret>}}, {@code ${canary}} and
 * {@code ${<captured name>}}. A placeholder without a value is an error that names it.
 */
final class CheckTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  private final Map<String, String> values;

  /**
   * @param values by placeholder name ({@code keyId:<secret>}, {@code canary}, captured names)
   */
  CheckTemplate(Map<String, String> values) {
    this.values = values;
  }

  /**
   * {@code text} with every placeholder replaced; null stays null.
   *
   * @throws IllegalArgumentException naming the first placeholder that has no value
   */
  String fill(String text) {
    if (text == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder filled = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ${" + matcher.group(1) + "}");
      }
      matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(filled);
    return filled.toString();
  }
}
