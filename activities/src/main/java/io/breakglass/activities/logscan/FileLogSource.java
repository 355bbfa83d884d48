package io.breakglass.activities.logscan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A log file. Reads it once from the start, keeping only the last lines, so memory stays bounded by
 * {@code maxLines} and line numbers are those of the file. Bytes that are not UTF-8 are replaced,
 * never fatal.
 */
public record FileLogSource(Path file) implements LogSource {

  @Override
  public String name() {
    return file.toString();
  }

  @Override
  public List<LogLine> recent(int maxLines) throws IOException {
    ArrayDeque<LogLine> last = new ArrayDeque<>(Math.min(maxLines, 4_096));
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      long number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (last.size() == maxLines) {
          last.removeFirst();
        }
        last.addLast(new LogLine(number, line));
      }
    }
    return List.copyOf(last);
  }
}
