package io.breakglass.activities.logscan;

import java.io.IOException;
import java.util.List;

/** Where the log scan reads the protected service's recent log lines: a file, a pod's log. */
public interface LogSource {

  /** A name for reports: a path, a namespace/pod. Never part of a line. */
  String name();

  /**
   * The last {@code maxLines} lines, oldest first, numbered within the source.
   *
   * @throws IOException when the source cannot be read
   */
  List<LogLine> recent(int maxLines) throws IOException;
}
