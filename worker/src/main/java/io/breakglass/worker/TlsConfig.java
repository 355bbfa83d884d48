package io.breakglass.worker;

import java.nio.file.Path;

/**
 * TLS towards the Temporal frontend. Its presence in {@link TemporalConfig} turns TLS on; an empty
 * {@code tls: {}} means "TLS, trust the system CAs", which is what Temporal Cloud with an API key
 * needs.
 *
 * @param caCertFile PEM CA certificate(s) to trust instead of the system trust store (a private
 *     CA); null trusts the system CAs
 * @param clientCertFile PEM client certificate chain for mTLS; set together with {@code
 *     clientKeyFile}
 * @param clientKeyFile PEM PKCS#8 private key of the client certificate ({@code openssl pkcs8
 *     -topk8 -nocrypt} converts a PKCS#1 key); only its path is ever logged
 * @param serverNameOverride the name to verify the server certificate against (and to send as SNI)
 *     when it differs from the host in the target, e.g. behind a load balancer
 */
public record TlsConfig(
    Path caCertFile, Path clientCertFile, Path clientKeyFile, String serverNameOverride) {}
