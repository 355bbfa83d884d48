package io.breakglass.api.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.worker.dev.DevConfiguration;
import io.breakglass.worker.dev.DevStack;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the running dev stack's configurations ({@code <data>/dev.yml} for the API, {@code
 * <data>/dev-worker.yml} for the worker) so that other commands can reach it while it runs, e.g.
 * {@code verify .breakglass/dev-worker.yml}. It names the embedded databases on their current port,
 * the Temporal server with the dev payload codec, the embedded settings and the operator API
 * (loopback ports, the dev users' token hashes), and on the real Temporal server the codec server's
 * access for its Web UI; it holds no secret (the master key, the codec key, the dev users' and the
 * Web UI's tokens stay in their own 0600 files).
 */
public final class DevConfigurationFile {

  private static final ObjectMapper YAML =
      Jackson.newObjectMapper(new YAMLFactory())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  private DevConfigurationFile() {}

  /**
   * Writes the API's file with the operator API on {@code 127.0.0.1:apiPort} (admin port {@code
   * adminPort}) and the dev users' token hashes.
   */
  static Path write(DevStack stack, DevUsers users, int apiPort, int adminPort) throws IOException {
    return write(stack, users, apiPort, adminPort, false);
  }

  /**
   * {@link #write(DevStack, DevUsers, int, int)}; {@code quiet} keeps the API's own logging to
   * warnings and leaves out its request log, so that it does not interleave with a report.
   */
  static Path write(DevStack stack, DevUsers users, int apiPort, int adminPort, boolean quiet)
      throws IOException {
    Map<String, Object> configuration = DevConfiguration.apiContents(stack);
    Map<String, Object> server =
        new LinkedHashMap<>(DevConfiguration.loopbackServer(apiPort, adminPort));
    if (quiet) {
      server.put("requestLog", Map.of("appenders", List.of()));
      configuration.put("logging", Map.of("level", "WARN"));
    }
    configuration.put("server", server);
    List<Map<String, Object>> tokens = new ArrayList<>(users.tokenConfigs());
    Optional<URI> webUi = stack.temporal().webUi();
    if (webUi.isPresent()) {
      // The local Web UI has no sign-in: its codec calls come in as the Web UI user, from its
      // origin.
      tokens.add(DevUsers.webUiUser(stack.layout().webUiToken()));
      URI ui = webUi.get();
      configuration.put(
          "codecServer",
          Map.of(
              "allowedOrigins",
                  List.of(
                      ui.getScheme() + "://" + ui.getAuthority(),
                      "http://localhost:" + ui.getPort()),
              "loopbackTokenFile", stack.layout().webUiToken().toAbsolutePath().toString()));
    }
    configuration.put("api", Map.of("auth", Map.of("tokens", tokens)));
    Path file = stack.layout().configuration();
    writeYaml(file, configuration);
    writeYaml(stack.layout().workerConfiguration(), DevConfiguration.contents(stack));
    return file;
  }

  private static void writeYaml(Path file, Map<String, Object> configuration) throws IOException {
    // Commands read the file with environment substitution, so the smoke checks' own ${...}
    // placeholders are escaped as $${...} (the substitution turns them back).
    Files.writeString(file, YAML.writeValueAsString(configuration).replace("${", "$${"));
  }
}
