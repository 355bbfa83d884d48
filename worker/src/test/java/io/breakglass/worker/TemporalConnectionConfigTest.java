package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration checks of {@link TemporalConnection}: nothing here connects anywhere. */
class TemporalConnectionConfigTest {

  private static final String API_KEY = "tck-live-7f3a9b2e-not-for-logs";
  private static final UnaryOperator<String> ENVIRONMENT = Map.of("TEMPORAL_API_KEY", API_KEY)::get;

  @TempDir Path folder;

  @Test
  void givenDefaults_itConnectsInPlaintextToTheLocalServer() {
    WorkflowServiceStubsOptions options =
        options(new TemporalConfig(null, null, null, null, false, null, 0, null));

    assertThat(options.getTarget()).isEqualTo("127.0.0.1:7233");
    assertThat(options.getSslContext()).isNull();
    assertThat(options.getEnableHttps()).isFalse();
  }

  @Test
  void givenAClientKeyWithoutACertificate_itRefusesNamingBothFields() {
    TlsConfig tls = new TlsConfig(null, null, folder.resolve("tls.key"), null);

    assertThatThrownBy(() -> options(withTls(tls)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temporal.tls.clientKeyFile")
        .hasMessageContaining("temporal.tls.clientCertFile");
  }

  @Test
  void givenAClientCertificateWithoutAKey_itRefusesNamingBothFields() {
    TlsConfig tls = new TlsConfig(null, folder.resolve("tls.crt"), null, null);

    assertThatThrownBy(() -> options(withTls(tls)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "temporal.tls.clientCertFile is set but temporal.tls.clientKeyFile");
  }

  @Test
  void givenAMissingCaFile_itRefusesNamingTheFieldAndThePath() {
    Path missing = folder.resolve("no-such-ca.crt");
    TlsConfig tls = new TlsConfig(missing, null, null, null);

    assertThatThrownBy(() -> options(withTls(tls)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temporal.tls.caCertFile: not a readable file: " + missing);
  }

  @Test
  void givenACaFileWithoutACertificate_itRefusesNamingTheField() throws Exception {
    Path notACert = Files.writeString(folder.resolve("ca.crt"), "hello\n");
    TlsConfig tls = new TlsConfig(notACert, null, null, null);

    assertThatThrownBy(() -> options(withTls(tls)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("temporal.tls.caCertFile:");
  }

  @Test
  void givenAnUnreadableKeyPair_itRefusesWithoutQuotingTheFiles() throws Exception {
    String canary = "canary-" + UUID.randomUUID();
    String keyContent = pemShaped("PRIVATE KEY", canary);
    Path cert = Files.writeString(folder.resolve("tls.crt"), "not a certificate\n");
    Path key = Files.writeString(folder.resolve("tls.key"), keyContent);

    assertThatThrownBy(() -> options(withTls(new TlsConfig(null, cert, key, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temporal.tls.clientCertFile / clientKeyFile")
        .hasMessageNotContaining(canary)
        .hasNoCause();
  }

  @Test
  void givenAnApiKeyWithoutTls_itRefusesAndNeverShowsTheKey() {
    TemporalConfig config =
        new TemporalConfig(
            "tmprl.example:7233", "ns", null, "TEMPORAL_API_KEY", false, null, 0, null);

    assertThatThrownBy(() -> options(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("temporal.apiKeyEnv is set but temporal.tls is not")
        .hasMessageNotContaining(API_KEY);
  }

  @Test
  void givenAnApiKeyVariableThatIsNotSet_itRefusesNamingTheVariable() {
    TemporalConfig config = overTls("BREAKGLASS_UNSET_KEY");

    assertThatThrownBy(() -> options(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "temporal.apiKeyEnv: environment variable BREAKGLASS_UNSET_KEY is not set or empty");
  }

  @Test
  void givenAnApiKeyOverTls_theOptionsCarryItButNeverPrintIt() {
    TemporalConfig config = overTls("TEMPORAL_API_KEY");

    WorkflowServiceStubsOptions options = options(config);

    assertThat(options.getSslContext()).isNotNull();
    assertThat(options.getGrpcMetadataProviders()).hasSize(1);
    assertThat(options.toString()).doesNotContain(API_KEY);
  }

  @Test
  void givenATargetWithoutAPort_itRefusesNamingTheField() {
    assertThatThrownBy(() -> options(TemporalConfig.plaintext("temporal.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temporal.target must be host:port, got 'temporal.example'");
  }

  @Test
  void givenAnIpv6Target_itIsAccepted() {
    assertThat(options(TemporalConfig.plaintext("[::1]:7233")).getTarget()).isEqualTo("[::1]:7233");
  }

  /** Temporal Cloud style: TLS with the system trust store and an API key variable. */
  private static TemporalConfig overTls(String apiKeyEnv) {
    TlsConfig systemTrust = new TlsConfig(null, null, null, null);
    return new TemporalConfig(
        "tmprl.example:7233", "ns", systemTrust, apiKeyEnv, false, null, 0, null);
  }

  private static TemporalConfig withTls(TlsConfig tls) {
    return new TemporalConfig(null, null, tls, null, false, null, 0, null);
  }

  private static WorkflowServiceStubsOptions options(TemporalConfig config) {
    return TemporalConnection.stubsOptions(config, ENVIRONMENT, null);
  }

  /**
   * Text shaped like a PEM block around {@code body}, assembled at run time so that no file in the
   * repository holds anything that looks like a committed private key.
   */
  private static String pemShaped(String type, String body) {
    String dashes = "-----";
    return dashes + "BEGIN " + type + dashes + "\n" + body + "\n" + dashes + "END " + type + dashes
        + "\n";
  }
}
