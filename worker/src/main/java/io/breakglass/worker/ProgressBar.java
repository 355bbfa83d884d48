package io.breakglass.worker;

/** A text progress bar for terminals and CI logs alike. */
public final class ProgressBar {

  private static final int WIDTH = 30;

  private ProgressBar() {}

  /** e.g. {@code [###############---------------] 10000/20000 (50%)}. */
  public static String render(long done, long total) {
    long bounded = Math.min(done, Math.max(total, 0));
    int filled = total <= 0 ? WIDTH : (int) (WIDTH * bounded / total);
    int percent = total <= 0 ? 100 : (int) (100 * bounded / total);
    return "["
        + "#".repeat(filled)
        + "-".repeat(WIDTH - filled)
        + "] "
        + String.format("%6d/%d (%d%%)", done, total, percent);
  }
}
