package io.breakglass.activities.logscan;

/**
 * One line of a log source. Its text may hold the very identifiers the scan looks for, so {@link
 * #toString()} shows the line number only.
 *
 * @param number the line number within its source, from 1
 * @param text the line
 */
public record LogLine(long number, String text) {

  @Override
  public String toString() {
    return "line " + number;
  }
}
