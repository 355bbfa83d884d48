package io.breakglass.api.cli.ops;

import io.breakglass.api.cli.CommandExit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds the caller's bearer token: a file ({@code --token-file}) or the environment
 * variable {@value #VARIABLE}. Never a flag value, which {@code ps} would show to every user.
 */
final class BearerToken {

  static final String VARIABLE = "BREAKGLASS_TOKEN";

  private BearerToken() {}

  /** The token from {@code file} when given, else from the environment. */
  static String read(Path file, Map<String, String> environment) throws CommandExit {
    String token;
    if (file != null) {
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new CommandExit(
            ExitCodes.USAGE,
            "cannot read the token file " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    } else {
      token = environment.getOrDefault(VARIABLE, "").strip();
    }
    if (token.isEmpty()) {
      throw new CommandExit(
          ExitCodes.USAGE,
          "no bearer token: set " + VARIABLE + " or pass --token-file with a file holding it");
    }
    if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new CommandExit(ExitCodes.USAGE, "the bearer token holds spaces or control characters");
    }
    return token;
  }
}
