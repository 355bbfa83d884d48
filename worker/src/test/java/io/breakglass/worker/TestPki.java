package io.breakglass.worker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA with one server and one client certificate (EC P-256, PEM, PKCS#8 keys), made by
 * the {@code openssl} command in a test folder, so no key is ever checked in.
 */
record TestPki(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  /** The only name the server certificate is valid for. */
  static final String SERVER_NAME = "temporal.internal";

  static TestPki create(Path folder) throws IOException, InterruptedException {
    assumeTrue(opensslAvailable(), "the openssl command is needed to make test certificates");
    TestPki pki =
        new TestPki(
            folder.resolve("ca.crt"),
            folder.resolve("server.crt"),
            folder.resolve("server.key"),
            folder.resolve("client.crt"),
            folder.resolve("client.key"));
    Path caKey = folder.resolve("ca.key");
    openssl(
        folder,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        caKey.toString(),
        "-out",
        pki.caCert().toString(),
        "-days",
        "2",
        "-subj",
        "/CN=Breakglass test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    issue(
        folder,
        pki.caCert(),
        caKey,
        pki.serverCert(),
        pki.serverKey(),
        SERVER_NAME,
        "subjectAltName=DNS:" + SERVER_NAME + "\nextendedKeyUsage=serverAuth\n");
    issue(
        folder,
        pki.caCert(),
        caKey,
        pki.clientCert(),
        pki.clientKey(),
        "breakglass-worker",
        "extendedKeyUsage=clientAuth\n");
    return pki;
  }

  private static void issue(
      Path folder, Path caCert, Path caKey, Path cert, Path key, String name, String extensions)
      throws IOException, InterruptedException {
    Path csr = folder.resolve(name + ".csr");
    Path ext = folder.resolve(name + ".ext");
    Files.writeString(ext, extensions);
    openssl(
        folder,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=" + name);
    openssl(
        folder,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        caCert.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-extfile",
        ext.toString());
  }

  private static void openssl(Path folder, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = folder.resolve("openssl.log");
    Process process =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("openssl " + args[0] + " failed: " + Files.readString(log));
    }
  }

  private static boolean opensslAvailable() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
