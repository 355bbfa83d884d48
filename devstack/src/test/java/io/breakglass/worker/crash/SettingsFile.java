package io.breakglass.worker.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.workflows.BreakglassDataConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Rotation settings as a JSON file, so a worker process runs with exactly the settings of the
 * test's {@code Testbed}. Settings hold names, paths and rules only, never secret material.
 */
final class SettingsFile {

  private static final ObjectMapper JSON = BreakglassDataConverter.objectMapper();

  private SettingsFile() {}

  static void write(RotationSettings settings, Path file) {
    try {
      JSON.writeValue(file.toFile(), settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static RotationSettings read(Path file) {
    try {
      return JSON.readValue(file.toFile(), RotationSettings.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
