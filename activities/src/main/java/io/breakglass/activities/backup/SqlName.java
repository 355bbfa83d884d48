package io.breakglass.activities.backup;

import java.util.ArrayList;
import java.util.List;

/** Quotes SQL names, so names read from the catalog or a manifest are never SQL text. */
final class SqlName {

  private SqlName() {}

  /** {@code schema.table} or {@code name}, each part double-quoted. */
  static String quoted(String dotted) {
    List<String> parts = new ArrayList<>();
    for (String part : dotted.split("\\.", -1)) {
      parts.add(quotedPart(part));
    }
    return String.join(".", parts);
  }

  /** One name double-quoted as a whole, even if it holds a dot. */
  static String quotedPart(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** The table part of {@code schema.table}, quoted. */
  static String quotedLast(String dotted) {
    return quotedPart(dotted.substring(dotted.lastIndexOf('.') + 1));
  }
}
