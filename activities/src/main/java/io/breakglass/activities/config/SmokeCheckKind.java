package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What a smoke check runs: an HTTP request, a local process, or a Kubernetes Job. */
public enum SmokeCheckKind {
  HTTP("http"),
  COMMAND("command"),
  KUBERNETES_JOB("kubernetes-job");

  private final String configName;

  SmokeCheckKind(String configName) {
    this.configName = configName;
  }

  /** The name in the configuration file: {@code http}, {@code command}, {@code kubernetes-job}. */
  @JsonValue
  public String configName() {
    return configName;
  }

  @JsonCreator
  public static SmokeCheckKind of(String name) {
    return Arrays.stream(values())
        .filter(k -> k.configName.equals(name) || k.name().equals(name.toUpperCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "smoke check kind " + name + " is not one of http, command, kubernetes-job"));
  }
}
