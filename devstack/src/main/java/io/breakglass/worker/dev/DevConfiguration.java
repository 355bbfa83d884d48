package io.breakglass.worker.dev;

import io.breakglass.activities.config.RotationSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The application configuration that reaches a running dev stack, as the maps its YAML file is
 * written from: the dev assembly writes them to {@code <data>/dev.yml}, and the API's tests start
 * the operator API on them.
 */
public final class DevConfiguration {

  private DevConfiguration() {}

  /** The server section: the API and its admin port on loopback only. */
  public static Map<String, Object> loopbackServer(int apiPort, int adminPort) {
    return Map.of(
        "applicationConnectors",
            List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", apiPort)),
        "adminConnectors",
            List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", adminPort)));
  }

  /** The configuration of the running stack: Temporal, both databases, the rotation settings. */
  public static Map<String, Object> contents(DevStack stack) {
    Map<String, Object> configuration = new LinkedHashMap<>();
    configuration.put("temporal", stack.temporalConfig());
    configuration.put("metrics", Map.of("port", 0));
    Map<String, Object> databases = new LinkedHashMap<>();
    for (String database :
        new String[] {DevSettings.BREAKGLASS_DATABASE, DevSettings.APP_DATABASE}) {
      databases.put(
          database,
          Map.of(
              "driverClass",
              "org.postgresql.Driver",
              "url",
              stack.jdbcUrl(database).replace("?user=postgres", ""),
              "user",
              "postgres",
              "initialSize",
              1,
              "minSize",
              1,
              "maxSize",
              4));
    }
    configuration.put("databases", databases);
    configuration.put("rotation", stack.settings());
    return configuration;
  }

  /**
   * The operator API's configuration of the running stack: Temporal, Breakglass's own database and
   * the part of the rotation settings the API reads (secrets, their stores, the policy).
   */
  public static Map<String, Object> apiContents(DevStack stack) {
    Map<String, Object> configuration = contents(stack);
    configuration.remove("metrics");
    @SuppressWarnings("unchecked")
    Map<String, Object> databases = (Map<String, Object>) configuration.get("databases");
    configuration.put(
        "databases",
        Map.of(DevSettings.BREAKGLASS_DATABASE, databases.get(DevSettings.BREAKGLASS_DATABASE)));
    RotationSettings settings = stack.settings();
    Map<String, Object> rotation = new LinkedHashMap<>();
    rotation.put("secretStore", settings.secretStore());
    rotation.put("secrets", settings.secrets());
    rotation.put("policy", settings.policy());
    rotation.put("aws", settings.aws());
    rotation.put("vault", settings.vault());
    rotation.values().removeIf(Objects::isNull);
    configuration.put("rotation", rotation);
    return configuration;
  }
}
