package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * HashiCorp Vault, for secrets kept in a KV version 2 secrets engine ({@code store: VAULT}). The
 * token comes from the environment variable or the file named here, read at each call (a Vault
 * Agent sink file may be renewed under a running worker); it is never part of the configuration.
 *
 * @param address the Vault server, e.g. {@code https://vault.internal:8200}
 * @param mount where the KV v2 engine is mounted (default {@code secret})
 * @param namespace the Vault Enterprise namespace, or null
 * @param tokenEnv the environment variable holding the token (default {@code VAULT_TOKEN}); takes
 *     precedence over the file
 * @param tokenFile a file holding the token, e.g. a Vault Agent sink
 * @param paths the path of each secret within the mount, by runbook name (default: the name)
 */
public record VaultConfig(
    @NotNull URI address,
    @Pattern(regexp = "[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*") String mount,
    String namespace,
    String tokenEnv,
    Path tokenFile,
    Map<String, String> paths) {

  private static final java.util.regex.Pattern PATH =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.@-]+(/[A-Za-z0-9_.@-]+)*");

  public VaultConfig {
    mount = mount == null ? "secret" : mount;
    tokenEnv = tokenEnv == null ? "VAULT_TOKEN" : tokenEnv;
    paths = paths == null ? Map.of() : Map.copyOf(paths);
  }

  /** The path of {@code secret} within the mount. */
  public String path(String secret) {
    return paths.getOrDefault(secret, secret);
  }

  /** The address is http or https, and every path is a plain relative KV path. */
  @JsonIgnore
  @AssertTrue(
      message = "is false: address must be http(s)://host[:port] and each path a relative KV path")
  public boolean isWellFormed() {
    return address != null
        && ("https".equals(address.getScheme()) || "http".equals(address.getScheme()))
        && address.getHost() != null
        && paths.values().stream()
            .allMatch(
                p ->
                    p != null
                        && PATH.matcher(p).matches()
                        && java.util.Arrays.stream(p.split("/"))
                            .noneMatch(s -> s.equals(".") || s.equals("..")));
  }
}
