package io.breakglass.activities.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartStatus;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * A workload on this machine that reloads its keyring on request (the sample service): the keyring
 * goes to its file, and a restart is {@code POST <url>} with the bearer token. The workload answers
 * the keyring it now runs with, and the restart counts only if that is what was published, as a
 * rollout counts only once the pods are ready. Loopback only: development, demo and tests.
 */
public final class ReloadEndpointDeploymentTarget extends KeyringFileTarget {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * @param environment where the token variable is read ({@code System::getenv} in a worker)
   * @throws IllegalArgumentException when the target is incomplete, the URL is not on loopback or
   *     the token variable is unset
   */
  public ReloadEndpointDeploymentTarget(
      DeploymentConfig config, Function<String, String> environment) {
    super(config.name(), target(config).keyringFile());
    ReloadEndpointTarget target = config.reloadEndpoint();
    String where = "deployment " + config.name();
    if (!onLoopback(target.url())) {
      throw new IllegalArgumentException(
          where + ": the reload endpoint must be on loopback, not " + target.url().getHost());
    }
    String value = environment.apply(target.tokenEnv());
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          where + ": environment variable " + target.tokenEnv() + " (reload token) is not set");
    }
    this.url = target.url();
    this.token = value;
  }

  private static ReloadEndpointTarget target(DeploymentConfig config) {
    if (config.reloadEndpoint() == null) {
      throw new IllegalArgumentException(
          "deployment " + config.name() + ": a reload-endpoint target needs reloadEndpoint");
    }
    return config.reloadEndpoint();
  }

  @Override
  public RestartOutcome restart(String rotationId, String reason) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reload endpoint of " + name + " (" + url + ") unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException("reload of " + name + " interrupted"));
    }
    if (response.statusCode() != 200) {
      throw RotationErrors.RESTART_FAILED.failure(
          name + " did not reload its keyring: " + url + " answered " + response.statusCode());
    }
    List<String> differences = differences(read(), running(response.body()));
    if (!differences.isEmpty()) {
      throw RotationErrors.RESTART_FAILED.failure(
          name + " reloaded but does not run the published keyring: " + differences);
    }
    return new RestartOutcome(
        name,
        RestartStatus.COMPLETED,
        name + " reloaded its keyring via " + url + " (" + reason + ")");
  }

  /**
   * The keyring the workload reports, as {@code
   * {"keyring":{"<secret>":{"primary":..,"decryptOnly":[..]}}}}.
   */
  private JsonNode running(byte[] body) {
    try {
      return JSON.readTree(body).path("keyring");
    } catch (IOException e) {
      throw RotationErrors.RESTART_FAILED.failure(
          name + " answered its reload with something other than JSON");
    }
  }

  private static List<String> differences(KeyringSpec published, JsonNode running) {
    List<String> differences = new ArrayList<>();
    for (KeyringEntry entry : published.entries()) {
      JsonNode actual = running.path(entry.secret());
      List<String> decryptOnly = new ArrayList<>();
      actual.path("decryptOnly").forEach(v -> decryptOnly.add(v.asText()));
      if (!entry.primaryVersionId().equals(actual.path("primary").asText(null))
          || !new HashSet<>(entry.decryptOnlyVersionIds()).equals(new HashSet<>(decryptOnly))) {
        differences.add(entry.secret());
      }
    }
    return differences;
  }

  private static boolean onLoopback(URI url) {
    try {
      return url.getHost() != null && InetAddress.getByName(url.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
