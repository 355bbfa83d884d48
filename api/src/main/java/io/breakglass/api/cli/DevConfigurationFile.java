package io.breakglass.api.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.dev.DevStack;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the running dev stack's configuration ({@code <data>/dev.yml}) so that other commands can
 * reach it while it runs, e.g. {@code verify .breakglass/dev.yml}. It names the embedded
 * databases on their current port, the Temporal test server with the dev payload codec, and the
 * embedded settings; it holds no secret (the master key and the codec key stay in their own 0600
 * files).
 */
final class DevConfigurationFile {

  private static final ObjectMapper YAML =
      Jackson.newObjectMapper(new YAMLFactory())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  private DevConfigurationFile() {}

  static Path write(DevStack stack) throws IOException {
    Map<String, Object> configuration = new LinkedHashMap<>();
    configuration.put("temporal", stack.temporalConfig());
    configuration.put("metrics", Map.of("port", 0));
    Map<String, Object> databases = new LinkedHashMap<>();
    for (String database :
        new String[] {BreakglassConfiguration.BREAKGLASS_DATABASE, DevSettings.APP_DATABASE}) {
      databases.put(
          database,
          Map.of(
              "driverClass", "org.postgresql.Driver",
              "url", stack.jdbcUrl(database).replace("?user=postgres", ""),
              "user", "postgres",
              "initialSize", 1,
              "minSize", 1,
              "maxSize", 4));
    }
    configuration.put("databases", databases);
    configuration.put("rotation", stack.settings());
    Path file = stack.layout().configuration();
    Files.write(file, YAML.writeValueAsBytes(configuration));
    return file;
  }
}
