package io.breakglass.api.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.api.cli.CommandExit;
import java.io.IOException;

/**
 * One answer of the operator API.
 *
 * @param status the HTTP status
 * @param body the body as text
 */
record ApiAnswer(int status, String body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** This answer, or the exit code and message of the API's refusal. */
  ApiAnswer orExit() throws CommandExit {
    if (status < 400) {
      return this;
    }
    throw new CommandExit(ExitCodes.forStatus(status), "API answered " + status + ": " + message());
  }

  /** The body as JSON. */
  JsonNode json() throws CommandExit {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CommandExit(
          ExitCodes.UNAVAILABLE, "the API answered " + status + " with something that is not JSON");
    }
  }

  /**
   * The message of the API's one error shape {@code {"code", "message"}}, else the first line of
   * the body.
   */
  String message() {
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.hasNonNull("message")) {
        return error.get("message").asText();
      }
    } catch (IOException e) {
      // not the error shape: a proxy's page, say
    }
    String text = body == null ? "" : body.strip();
    int end = text.indexOf('\n');
    return text.isEmpty() ? "(no message)" : end < 0 ? text : text.substring(0, end);
  }
}
