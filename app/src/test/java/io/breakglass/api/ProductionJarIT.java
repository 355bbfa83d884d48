package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged production jar, {@code breakglass.jar}, holds the worker and the operator API but
 * neither the Temporal test server, nor an embedded PostgreSQL, nor the development code (the
 * embedded stack, dev and demo, the sample service, the bench): what the build's dependency check
 * promises, read from the jar itself.
 */
class ProductionJarIT {

  private static final List<String> FOREIGN =
      List.of(
          // The SDK's own service client keeps a small in-process gRPC helper in the test service's
          // package; the test server itself is these.
          "io/zonky/",
          "io/temporal/testing/",
          "io/temporal/testserver/",
          "io/temporal/internal/testservice/TestWorkflowService",
          "io/breakglass/worker/embedded/",
          "io/breakglass/worker/dev/",
          "io/breakglass/worker/sample/",
          "io/breakglass/worker/bench/",
          "io/breakglass/api/cli/DevCommand",
          "io/breakglass/api/cli/DemoCommand");

  @Test
  void theProductionJar_carriesTheProduct_andNoTestServerEmbeddedDatabaseOrDevCode()
      throws Exception {
    Path jar = Path.of("target", "breakglass.jar");
    assertThat(foreignEntries(jar)).isEmpty();
    assertThat(entries(jar))
        .contains(
            "io/breakglass/api/BreakglassApplication.class",
            "io/breakglass/worker/BreakglassWorker.class",
            "io/breakglass/workflows/RotationWorkflow.class",
            "io/temporal/client/WorkflowClient.class",
            "org/postgresql/Driver.class");
  }

  @Test
  void negativeControl_theSameCheck_findsTheEmbeddedDatabaseInItsOwnJar() throws Exception {
    Path zonky =
        Path.of(EmbeddedPostgres.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(foreignEntries(zonky)).isNotEmpty();
  }

  private static List<String> foreignEntries(Path jar) throws Exception {
    return entries(jar).stream().filter(e -> FOREIGN.stream().anyMatch(e::startsWith)).toList();
  }

  private static List<String> entries(Path jar) throws Exception {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(ZipEntry::getName).toList();
    }
  }
}
