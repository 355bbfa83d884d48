package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TemporalConnection} against a server that requires mTLS from a private CA and serves a
 * certificate for a name other than the address dialled, as behind a load balancer.
 */
class TemporalConnectionTlsTest {

  private static final String API_KEY = "tck-test-0c1d2e3f";

  @TempDir static Path folder;
  private static TestPki pki;
  private static TlsTemporalServer server;

  @BeforeAll
  static void startServer() throws Exception {
    pki = TestPki.create(folder);
    server = new TlsTemporalServer(pki);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void givenMutualTlsAndAnApiKey_aWorkflowRunsEndToEnd() {
    TemporalConfig config =
        config(
            new TlsConfig(pki.caCert(), pki.clientCert(), pki.clientKey(), TestPki.SERVER_NAME),
            "TEMPORAL_API_KEY");

    try (TemporalConnection connection =
            TemporalConnection.open(config, Map.of("TEMPORAL_API_KEY", API_KEY)::get, null);
        BreakglassWorker worker =
            BreakglassWorker.start(
                connection.client(),
                config,
                List.of(ProbeWorkflowImpl.class),
                List.of(ProbeActivity.answering("tls")))) {
      String answer =
          connection
              .client()
              .newWorkflowStub(
                  ProbeWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(worker.taskQueue())
                      .setWorkflowId("probe-tls")
                      .build())
              .run("ping");

      assertThat(answer).isEqualTo("ping by tls");
    }
    assertThat(server.authorizations()).isNotEmpty().allMatch(("Bearer " + API_KEY)::equals);
  }

  /** Negative control: the server really requires the client certificate. */
  @Test
  void givenNoClientCertificate_theServerRejectsTheConnection() {
    TlsConfig tls = new TlsConfig(pki.caCert(), null, null, TestPki.SERVER_NAME);

    assertThat(handshakeFailure(config(tls, null))).contains("CERTIFICATE_REQUIRED");
  }

  /** Negative control: without the override the certificate does not match the address. */
  @Test
  void givenNoServerNameOverride_theClientRejectsTheServerCertificate() {
    TlsConfig tls = new TlsConfig(pki.caCert(), pki.clientCert(), pki.clientKey(), null);

    assertThat(handshakeFailure(config(tls, null)))
        .contains("No subject alternative names matching IP address 127.0.0.1");
  }

  /** Negative control: the system trust store does not know the private CA. */
  @Test
  void givenNoCaFile_theClientRejectsTheServerCertificate() {
    TlsConfig tls = new TlsConfig(null, pki.clientCert(), pki.clientKey(), TestPki.SERVER_NAME);

    assertThat(handshakeFailure(config(tls, null))).contains("PKIX path building failed");
  }

  /** Makes one call that must fail in the TLS handshake; returns the messages of its causes. */
  private static String handshakeFailure(TemporalConfig config) {
    try (TemporalConnection connection = TemporalConnection.open(config)) {
      GetSystemInfoRequest request = GetSystemInfoRequest.getDefaultInstance();
      StatusRuntimeException failure =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> connection.stubs().blockingStub().getSystemInfo(request));
      assertThat(failure).isNotNull();
      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      StringBuilder causes = new StringBuilder();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        causes.append(t).append('\n');
      }
      return causes.toString();
    }
  }

  private static TemporalConfig config(TlsConfig tls, String apiKeyEnv) {
    return new TemporalConfig(server.target(), null, tls, apiKeyEnv, true, null, 0, null);
  }
}
