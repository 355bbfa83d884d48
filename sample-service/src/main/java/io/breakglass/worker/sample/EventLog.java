package io.breakglass.worker.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's JSON log: one object per line, {@code {"ts":..,"event":..,...}}, appended to a
 * file. Callers pass ids and hashes only; a raw patient id or any content never goes in.
 * Thread-safe: lines are never interleaved.
 */
final class EventLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  EventLog(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of log file " + file, e);
    }
  }

  /** Appends {@code event} with {@code fields} (in the order given). */
  synchronized void write(String event, Map<String, ?> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ts", Instant.now().toString());
    line.put("event", event);
    line.putAll(fields);
    try {
      byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to log file " + file, e);
    }
  }
}
