package io.breakglass.activities.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The recent lines of a log file; the file is streamed, so only the kept lines are in memory. */
public final class FileLogSource implements LogSource {

  private final Path file;

  public FileLogSource(Path file) {
    this.file = file;
  }

  @Override
  public List<LogLine> recentLines(int lines) {
    Deque<String> recent = new ArrayDeque<>(lines);
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (recent.size() == lines) {
          recent.removeFirst();
        }
        recent.addLast(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log file " + file, e);
    }
    return recent.stream().map(text -> new LogLine(file.toString(), text)).toList();
  }
}
