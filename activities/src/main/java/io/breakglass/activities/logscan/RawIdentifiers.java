package io.breakglass.activities.logscan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The raw identifiers a log of the protected service must never hold, as regular expressions by
 * name. The defaults look for labelled values (a date of birth or a name is only recognisable by
 * its label) and for the SSN shape, which needs none.
 */
public final class RawIdentifiers {

  /** The default patterns: MRN, SSN, DOB and NAME. */
  public static final Map<String, String> DEFAULTS =
      Map.of(
          "MRN",
          "(?i)\\bmrn\\b[\"']?\\s*[:=#]?\\s*[\"']?[A-Z0-9-]{4,}",
          "SSN",
          "\\b\\d{3}-\\d{2}-\\d{4}\\b",
          "DOB",
          "(?i)\\b(dob|date[_ ]of[_ ]birth|birth[_ ]?date)\\b[\"']?\\s*[:=]?\\s*[\"']?"
              + "\\d{1,4}[-/.]\\d{1,2}[-/.]\\d{1,4}",
          "NAME",
          "(?i)\\b(patient[_ ]?name|first[_ ]?name|last[_ ]?name|full[_ ]?name|given[_ ]?name"
              + "|family[_ ]?name)\\b[\"']?\\s*[:=]\\s*[\"']?[A-Za-z]");

  private RawIdentifiers() {}

  /**
   * The defaults with {@code overrides} applied (same name replaces, a new name adds), compiled and
   * in name order.
   *
   * @throws IllegalArgumentException naming the pattern that does not compile (not its text's
   *     match)
   */
  public static Map<String, Pattern> compile(Map<String, String> overrides) {
    Map<String, String> merged = new java.util.TreeMap<>(DEFAULTS);
    merged.putAll(overrides);
    Map<String, Pattern> compiled = new LinkedHashMap<>();
    merged.forEach(
        (name, regex) -> {
          try {
            compiled.put(name, Pattern.compile(regex));
          } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                "logScan: pattern " + name + " does not compile: " + e.getDescription(), e);
          }
        });
    return compiled;
  }
}
