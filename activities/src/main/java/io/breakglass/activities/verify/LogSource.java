package io.breakglass.activities.verify;

import java.util.List;

/** Where the log scan reads a workload's recent log lines from (its pods, or a file). */
public interface LogSource {

  /**
   * The most recent lines, oldest first, at most {@code lines} from each place the workload logs
   * to (each container of each pod, or the file).
   */
  List<LogLine> recentLines(int lines);

  /**
   * @param source where the line was logged (namespace/pod/container, or the file)
   * @param text the line, without its line break
   */
  record LogLine(String source, String text) {}
}
