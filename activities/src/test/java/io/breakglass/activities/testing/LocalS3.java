package io.breakglass.activities.testing;

import static org.awaitility.Awaitility.await;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.data.s3.S3Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/**
 * S3 on loopback for tests: s3proxy 4.1.0 (its self-contained jar, a test dependency) with the
 * in-memory transient provider, in a JVM of its own so its Jetty and jclouds stay off our
 * classpath. Requests are not authenticated; the SDK signs them anyway, as against AWS.
 */
public final class LocalS3 implements AutoCloseable {

  private static final String JAR = "s3proxy-4.1.0-jar-with-dependencies.jar";

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private LocalS3(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Starts s3proxy on a free loopback port; its configuration and log go to {@code folder}. */
  public static LocalS3 start(Path folder) throws Exception {
    // The SDK's default credential chain reads these first; s3proxy ignores them.
    System.setProperty("aws.accessKeyId", "local-identity");
    System.setProperty("aws.secretAccessKey", "local-credential");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
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
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx1g"); // the transient provider keeps every object in memory
    command.add("-jar");
    command.add(jar().toString());
    command.add("--properties");
    command.add(properties.toString());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalS3 s3 = new LocalS3(process, endpoint, log);
    s3.awaitListening(port);
    return s3;
  }

  private static Path jar() {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.endsWith(JAR)) {
        return Path.of(entry);
      }
    }
    throw new IllegalStateException(JAR + " is not on the test classpath");
  }

  private void awaitListening(int port) throws Exception {
    try {
      await("s3proxy listening")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(50))
          .failFast("s3proxy exited", () -> !process.isAlive())
          .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
          .until(() -> accepts(port));
    } catch (ConditionTimeoutException | TerminalFailureException notStarted) {
      throw new IllegalStateException(
          "s3proxy did not start:\n" + Files.readString(log), notStarted);
    }
  }

  private static boolean accepts(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    }
  }

  /** The settings that point the adapters here. */
  public AwsConfig aws() {
    return new AwsConfig("us-east-1", null, endpoint, true);
  }

  /**
   * A client as the adapters build it, for the test's own use (its requests are not recorded as the
   * adapters'), plus {@code interceptors}.
   */
  public S3Client client(ExecutionInterceptor... interceptors) {
    List<ExecutionInterceptor> all = new ArrayList<>(List.of(interceptors));
    all.add(new S3Requests.Fixture());
    return S3Endpoint.client(
        aws(), ClientOverrideConfiguration.builder().executionInterceptors(all).build());
  }

  public void createBucket(String bucket) {
    try (S3Client client = client()) {
      client.createBucket(CreateBucketRequest.builder().bucket(bucket).build());
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One s3proxy for the tests of a class: {@code @RegisterExtension static final}. */
  public static final class PerClass implements BeforeAllCallback, AfterAllCallback {

    private Path folder;
    private LocalS3 s3;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      folder = Files.createTempDirectory("local-s3");
      s3 = start(folder);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
      s3.close();
      try (var files = Files.walk(folder)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }

    public LocalS3 get() {
      return s3;
    }
  }

  /** s3proxy's output, for a failure message. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
