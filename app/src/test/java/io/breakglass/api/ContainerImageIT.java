package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image {@code bin/build-image} writes from the packaged jar: a valid OCI image
 * layout whose configuration runs {@code java -jar /app/breakglass.jar} with the container flags as
 * uid 65532 in {@code /app}, with no shell and no program but Java's launchers in any layer; and
 * its layers, unpacked and entered the way a container runtime enters them (own mount and PID
 * namespaces, {@code /proc} and {@code /dev} mounted, the unpacked layers as the root, the config's
 * user, working directory and environment only), run {@code check} on the example configuration. An
 * image whose runtime lacks {@code java.sql} fails that run.
 *
 * <p>Entering the root filesystem needs root (mount namespaces); elsewhere the run uses the image's
 * runtime and jar from the unpacked layers on the host's libraries, and says so.
 */
class ContainerImageIT {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> ENTRYPOINT =
      List.of(
          "/opt/java/bin/java",
          "-XX:MaxRAMPercentage=75",
          "-XX:+ExitOnOutOfMemoryError",
          "-jar",
          "/app/breakglass.jar");
  private static final Set<String> SHELLS =
      Set.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh", "busybox", "toybox");

  @TempDir static Path work;
  private static OciLayout image;

  private record Run(int exit, String output) {}

  @BeforeAll
  static void buildTheImage() throws Exception {
    image = OciLayout.read(build(work.resolve("image")));
  }

  @Test
  void theConfiguration_runsTheJar_withTheContainerFlags_asUid65532() throws Exception {
    JsonNode config = image.containerConfig();

    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(strings(config.path("Entrypoint"))).isEqualTo(ENTRYPOINT);
    assertThat(config.path("WorkingDir").asText()).isEqualTo("/app");
    assertThat(config.path("ExposedPorts").properties().stream().map(Map.Entry::getKey))
        .containsExactlyInAnyOrder("8080/tcp", "8081/tcp", "9464/tcp");
    assertThat(config.path("Labels").path("org.opencontainers.image.version").asText())
        .isNotBlank()
        .isEqualTo(OciLayout.refName(work.resolve("image")));
    assertThat(image.layers()).hasSize(3);
  }

  @Test
  void noLayer_holdsAShell_orAnyProgramButJavasLaunchers() throws Exception {
    List<OciLayout.Entry> entries = image.entries();

    assertThat(shellsAndPrograms(entries)).isEmpty();
    assertThat(entries)
        .extracting(OciLayout.Entry::name)
        .contains(
            "opt/java/bin/java",
            "app/breakglass.jar",
            "lib/x86_64-linux-gnu/libc.so.6",
            "etc/passwd");
  }

  @Test
  void negativeControl_theShellCheck_findsAShellAndAProgram() {
    List<OciLayout.Entry> entries =
        List.of(
            new OciLayout.Entry("bin/sh", 0777, '2'),
            new OciLayout.Entry("usr/local/tool", 0755, '0'),
            new OciLayout.Entry("opt/java/bin/java", 0755, '0'));

    assertThat(shellsAndPrograms(entries)).containsExactly("bin/sh", "usr/local/tool");
  }

  @Test
  void negativeControl_aBlobThatDoesNotMatchItsDigest_isRejected() throws Exception {
    Path copy = Files.createDirectories(work.resolve("tampered"));
    copyLayout(work.resolve("image"), copy);
    Path layer = image.layers().get(2);
    Path tampered = copy.resolve("blobs/sha256").resolve(layer.getFileName());
    Files.delete(tampered); // a link to the original: replace it, do not write through it
    Files.write(tampered, Arrays.copyOf(Files.readAllBytes(layer), (int) Files.size(layer) - 1));

    assertThatThrownBy(() -> OciLayout.read(copy))
        .hasMessageContaining("invalid image layout: size of sha256:" + layer.getFileName());
  }

  @Test
  void theImage_runsCheck_onTheExampleConfiguration_asUid65532() throws Exception {
    Path rootfs = work.resolve("rootfs");
    Run run = runCheck(image, rootfs);

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).endsWith("Worker configuration is OK\n");
    if (entersTheRootFilesystem()) {
      // The JVM's performance data directory: written as the image's user, under /tmp only.
      Path perfData = rootfs.resolve("tmp/hsperfdata_nonroot");
      assertThat(Files.getAttribute(perfData, "unix:uid")).isEqualTo(65532);
    }
  }

  @Test
  void negativeControl_anImageWithoutJavaSql_failsTheSameRun() throws Exception {
    String modules =
        image.containerConfig().path("Labels").path("io.breakglass.java-modules").asText();
    assertThat(modules.split(",")).contains("java.sql");
    String withoutSql =
        Arrays.stream(modules.split(","))
            .filter(m -> !m.equals("java.sql"))
            .collect(Collectors.joining(","));
    OciLayout broken =
        OciLayout.read(
            build(work.resolve("image-without-sql"), "--quick", "--modules", withoutSql));

    Run run = runCheck(broken, work.resolve("rootfs-without-sql"));

    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("javax/sql/DataSource").doesNotContain("configuration is OK");
  }

  /** Names of shells, and of programs other than the Java runtime's launchers and libraries. */
  private static List<String> shellsAndPrograms(List<OciLayout.Entry> entries) {
    return entries.stream()
        .filter(
            e ->
                SHELLS.contains(e.name().substring(e.name().lastIndexOf('/') + 1))
                    || (e.isExecutableFile()
                        && !e.name().startsWith("opt/java/")
                        && !e.name().matches(".*\\.so(\\.[0-9]+)*")))
        .map(OciLayout.Entry::name)
        .toList();
  }

  private static Path build(Path output, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                REPOSITORY.resolve("bin/build-image").toString(),
                "--jar",
                Path.of("target", "breakglass.jar").toAbsolutePath().toString(),
                "--output",
                output.toString()));
    command.addAll(List.of(options));
    Run run = exec(command, 300);
    assertThat(run.exit()).as(run.output()).isZero();
    return output;
  }

  /** Unpacks the image's layers and runs its entrypoint with {@code check} on the example. */
  private static Run runCheck(OciLayout image, Path rootfs) throws Exception {
    Files.createDirectories(rootfs);
    for (Path layer : image.layers()) {
      Run unpacked = exec(List.of("tar", "-xzpf", layer.toString(), "-C", rootfs.toString()), 60);
      assertThat(unpacked.exit()).as(unpacked.output()).isZero();
    }
    // The example without its comment lines, some of which show ${...} as text; mounted as a
    // ConfigMap would be.
    // The example as it is, comments and all: the jar's substitution is strict.
    Files.copy(
        ExampleConfigurationTest.EXAMPLE,
        Files.createDirectories(rootfs.resolve("etc/breakglass")).resolve("worker.yml"));

    JsonNode config = image.containerConfig();
    List<String> environment = new ArrayList<>(strings(config.path("Env")));
    ExampleConfigurationTest.ENVIRONMENT.forEach((k, v) -> environment.add(k + "=" + v));
    List<String> entrypoint = strings(config.path("Entrypoint"));
    String[] user = config.path("User").asText().split(":");
    String configFile = "/etc/breakglass/worker.yml";
    List<String> command = new ArrayList<>();
    if (entersTheRootFilesystem()) {
      Files.createDirectories(rootfs.resolve("proc"));
      Files.createDirectories(rootfs.resolve("dev"));
      command.addAll(
          List.of(
              "unshare",
              "--mount",
              "--pid",
              "--fork",
              "--kill-child",
              "sh",
              "-c",
              "mount --rbind /dev \"$0/dev\" && mount -t proc proc \"$0/proc\" && exec \"$@\"",
              rootfs.toString(),
              "env",
              "-i"));
      command.addAll(environment);
      command.addAll(
          List.of(
              "/usr/bin/unshare",
              "--root=" + rootfs,
              "--wd=" + config.path("WorkingDir").asText(),
              "--setuid=" + user[0],
              "--setgid=" + user[1]));
      command.addAll(entrypoint);
    } else {
      System.err.println(
          "not root, or no new namespaces here: running the image's runtime and jar from its"
              + " unpacked layers on this machine's libraries, not inside its root filesystem");
      entrypoint.forEach(a -> command.add(a.startsWith("/") ? rootfs + a : a));
      configFile = rootfs + configFile;
    }
    command.addAll(List.of("check", configFile));
    return exec(command, 120);
  }

  /**
   * Whether this machine lets the test enter the image's root filesystem: root, and new mount and
   * PID namespaces allowed (a container without CAP_SYS_ADMIN refuses them).
   */
  private static boolean entersTheRootFilesystem() throws Exception {
    return "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/bin/unshare"))
        && exec(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "true"), 30).exit() == 0;
  }

  private static Run exec(List<String> command, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(work, "run", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static List<String> strings(JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(n -> strings.add(n.asText()));
    return strings;
  }

  private static void copyLayout(Path from, Path to) throws IOException {
    Files.copy(from.resolve("oci-layout"), to.resolve("oci-layout"));
    Files.copy(from.resolve("index.json"), to.resolve("index.json"));
    Path blobs = Files.createDirectories(to.resolve("blobs/sha256"));
    try (var files = Files.list(from.resolve("blobs/sha256"))) {
      for (Path blob : files.toList()) {
        Files.createLink(blobs.resolve(blob.getFileName()), blob);
      }
    }
  }
}
