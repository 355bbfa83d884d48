package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;

/**
 * A workload on this machine that re-reads its keyring file when asked: Breakglass publishes the
 * file, then POSTs to {@code url} with {@code Authorization: Bearer <token>}. For development, the
 * demo and tests (the sample service); the URL must be on loopback, since the token travels in
 * plain HTTP.
 *
 * @param keyringFile where the keyring (version ids only) is published
 * @param url the reload endpoint, e.g. {@code http://127.0.0.1:8085/admin/reload}
 * @param tokenEnv the environment variable that holds the bearer token
 */
public record ReloadEndpointTarget(
    @NotNull Path keyringFile, @NotNull URI url, @NotBlank String tokenEnv) {}
