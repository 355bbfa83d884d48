package io.breakglass.worker.bench;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.data.s3.S3Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 on loopback for the bench: the s3proxy the tests use, with its in-memory provider, in a JVM of
 * its own started from the jar Maven resolved for this build (its bundled libraries would clash
 * with ours on one classpath). Requests are not authenticated; the SDK signs them anyway, as
 * against AWS. {@link #close} stops it, and every object with it.
 */
final class LocalS3Server implements AutoCloseable {

  private static final long STARTUP_MILLIS = 60_000;

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private LocalS3Server(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /**
   * Starts s3proxy on a free loopback port; its configuration and log go to {@code folder}.
   *
   * @param heapMb the server's heap: it keeps every object in memory
   */
  static LocalS3Server start(Path folder, long heapMb) {
    // The SDK's default credential chain, which the adapters' client uses, reads these first.
    System.setProperty("aws.accessKeyId", "local-identity");
    System.setProperty("aws.secretAccessKey", "local-credential");
    try {
      Files.createDirectories(folder);
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        port = socket.getLocalPort();
      }
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Path properties = folder.resolve("s3proxy.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=none",
              "jclouds.provider=transient",
              "jclouds.identity=local-identity",
              "jclouds.credential=local-credential",
              ""));
      Path log = folder.resolve("s3proxy.log");
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx" + heapMb + "m",
                      "-jar",
                      jar().toString(),
                      "--properties",
                      properties.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LocalS3Server server = new LocalS3Server(process, endpoint, log);
      server.awaitListening(port);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start s3proxy in " + folder, e);
    }
  }

  /** The s3proxy jar in the local Maven repository, as the build recorded its path. */
  static Path jar() {
    Properties properties = new Properties();
    try (InputStream in = LocalS3Server.class.getResourceAsStream("s3proxy.properties")) {
      if (in == null) {
        throw new IllegalStateException("s3proxy.properties is missing from the bench's classes");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read s3proxy.properties", e);
    }
    Path jar = Path.of(properties.getProperty("jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the bench starts s3proxy from "
              + jar
              + ", which is not there: build the bench with Maven on this machine, which fetches"
              + " it");
    }
    return jar;
  }

  /** A client as the adapters build it (the SDK's default chain finds the local credentials). */
  S3Client client() {
    return S3Endpoint.client(new AwsConfig("us-east-1", null, endpoint, true));
  }

  private void awaitListening(int port) throws IOException {
    long deadline = System.currentTimeMillis() + STARTUP_MILLIS;
    while (!accepts(port)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        close();
        throw new IllegalStateException("s3proxy did not start:\n" + Files.readString(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while s3proxy started", e);
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
