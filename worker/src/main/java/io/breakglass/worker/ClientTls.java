package io.breakglass.worker;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns a {@link TlsConfig} into the client {@link SslContext} the Temporal SDK uses. Every problem
 * is an {@link IllegalArgumentException} that names the configuration field and the file path,
 * never the file's content.
 */
final class ClientTls {

  private ClientTls() {}

  static SslContext sslContext(TlsConfig tls) {
    Path cert = tls.clientCertFile();
    Path key = tls.clientKeyFile();
    if (key != null && cert == null) {
      throw new IllegalArgumentException(
          "temporal.tls.clientKeyFile is set but temporal.tls.clientCertFile is not: mTLS needs"
              + " both");
    }
    if (cert != null && key == null) {
      throw new IllegalArgumentException(
          "temporal.tls.clientCertFile is set but temporal.tls.clientKeyFile is not: mTLS needs"
              + " both");
    }
    if (tls.serverNameOverride() != null && tls.serverNameOverride().isBlank()) {
      throw new IllegalArgumentException("temporal.tls.serverNameOverride must not be blank");
    }
    requireReadable("temporal.tls.caCertFile", tls.caCertFile());
    requireReadable("temporal.tls.clientCertFile", cert);
    requireReadable("temporal.tls.clientKeyFile", key);

    TrustManager trust = tls.caCertFile() == null ? null : trustOnly(tls.caCertFile());
    if (cert == null) {
      return build(SimpleSslContextBuilder.noKeyOrCertChain(), trust);
    }
    try (InputStream certIn = Files.newInputStream(cert);
        InputStream keyIn = Files.newInputStream(key)) {
      return build(SimpleSslContextBuilder.forPKCS8(certIn, keyIn), trust);
    } catch (IOException | RuntimeException e) {
      // The cause is dropped on purpose: a parser's message could quote part of the key file.
      throw new IllegalArgumentException(
          "temporal.tls.clientCertFile / clientKeyFile: "
              + cert
              + " and "
              + key
              + " are not a PEM certificate chain and a matching unencrypted PKCS#8 PEM key ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static SslContext build(SimpleSslContextBuilder builder, TrustManager trust) {
    if (trust != null) {
      builder.setTrustManager(trust);
    }
    try {
      return builder.build();
    } catch (IOException e) {
      throw new IllegalArgumentException("temporal.tls: cannot build the TLS context", e);
    }
  }

  /** A trust manager that trusts exactly the certificates in {@code caFile}. */
  private static TrustManager trustOnly(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> cas =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (cas.isEmpty()) {
        throw new IllegalArgumentException(
            "temporal.tls.caCertFile: no PEM certificate in " + caFile);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (Certificate ca : cas) {
        store.setCertificateEntry("ca-" + index++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers()[0];
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "temporal.tls.caCertFile: cannot read CA certificates from " + caFile, e);
    }
  }

  private static void requireReadable(String field, Path file) {
    if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
      throw new IllegalArgumentException(field + ": not a readable file: " + file);
    }
  }
}
