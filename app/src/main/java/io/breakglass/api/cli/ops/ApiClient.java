package io.breakglass.api.cli.ops;

import io.breakglass.api.cli.CommandExit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The operator API over HTTP, as one caller: every request carries the bearer token. A connection
 * failure or timeout is {@link ExitCodes#UNAVAILABLE}; the token never appears in a message.
 */
final class ApiClient {

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  ApiAnswer get(String path, String accept) throws CommandExit {
    return send(request(path).header("Accept", accept).GET());
  }

  ApiAnswer post(String path, String json) throws CommandExit {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpRequest.Builder request(String path) throws CommandExit {
    try {
      return HttpRequest.newBuilder(base.resolve(path))
          .timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + token);
    } catch (IllegalArgumentException e) {
      throw new CommandExit(ExitCodes.USAGE, "not a usable API address: " + base);
    }
  }

  private ApiAnswer send(HttpRequest.Builder request) throws CommandExit {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new ApiAnswer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new CommandExit(
          ExitCodes.UNAVAILABLE,
          "the API at " + base + " did not answer (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandExit(
          ExitCodes.UNAVAILABLE, "interrupted while waiting for the API at " + base);
    }
  }
}
