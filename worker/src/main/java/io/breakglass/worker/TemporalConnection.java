package io.breakglass.worker;

import com.uber.m3.tally.Scope;
import io.breakglass.worker.tracing.Tracing;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.codec.CodecKeyring;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a Temporal frontend: the gRPC stubs and a {@link WorkflowClient} on the
 * configured namespace with {@link BreakglassDataConverter}, behind the payload codec when {@link
 * TemporalConfig#codec()} is set. The channel connects lazily: a server that is not up yet shows as
 * retried polls, not as a failed start.
 *
 * <p>Configuration mistakes (half an mTLS pair, a missing file, an API key without TLS, an unset
 * API key variable) fail {@link #open} with an {@link IllegalArgumentException} that names the
 * field; so do unreadable codec keys. No message ever contains the API key or key material.
 */
public final class TemporalConnection implements AutoCloseable {

  /** {@code host:port} or {@code [ipv6]:port}. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:[^\\s:/\\[\\]]+|\\[[0-9a-fA-F:.]+]):\\d{1,5}");

  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private TemporalConnection(
      WorkflowServiceStubs stubs, String namespace, DataConverter converter, Tracing tracing) {
    this.stubs = stubs;
    this.client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace(namespace)
                .setDataConverter(converter)
                .setInterceptors(
                    tracing.clientInterceptors().toArray(WorkflowClientInterceptor[]::new))
                .build());
  }

  /** Connects with the process environment and without SDK metrics. */
  public static TemporalConnection open(TemporalConfig config) {
    return open(config, null);
  }

  /**
   * Connects with the process environment; the SDK reports its metrics (and a worker built on this
   * client, its worker metrics) to {@code metricsScope}, e.g. {@link WorkerMetrics#scope()}.
   */
  public static TemporalConnection open(TemporalConfig config, Scope metricsScope) {
    return open(config, System::getenv, metricsScope, Tracing.off(), null);
  }

  /** As {@link #open(TemporalConfig, Scope)}; the client's calls make spans of {@code tracing}. */
  public static TemporalConnection open(
      TemporalConfig config, Scope metricsScope, Tracing tracing) {
    return open(config, System::getenv, metricsScope, tracing, null);
  }

  /** The worker's connection: spans of {@code tracing}, and {@code polls} watching its polls. */
  public static TemporalConnection open(
      TemporalConfig config, Scope metricsScope, Tracing tracing, PollerHealth polls) {
    return open(config, System::getenv, metricsScope, tracing, polls);
  }

  static TemporalConnection open(
      TemporalConfig config, UnaryOperator<String> environment, Scope metricsScope) {
    return open(config, environment, metricsScope, Tracing.off(), null);
  }

  private static TemporalConnection open(
      TemporalConfig config,
      UnaryOperator<String> environment,
      Scope metricsScope,
      Tracing tracing,
      PollerHealth polls) {
    WorkflowServiceStubsOptions options = stubsOptions(config, environment, metricsScope);
    if (polls != null) {
      options =
          WorkflowServiceStubsOptions.newBuilder(options).addGrpcClientInterceptor(polls).build();
    }
    DataConverter converter = dataConverter(config, environment);
    return new TemporalConnection(
        WorkflowServiceStubs.newServiceStubs(options), config.namespace(), converter, tracing);
  }

  /** The Breakglass converter, behind the payload codec when {@code temporal.codec} is set. */
  static DataConverter dataConverter(TemporalConfig config, UnaryOperator<String> environment) {
    if (config.codec() == null) {
      log.warn(
          "temporal.codec is not configured: inputs, signals, updates, results and failure messages"
              + " are stored in Temporal's history as plain JSON");
      return BreakglassDataConverter.create();
    }
    CodecKeyring keyring = CodecKeys.load(config.codec(), environment);
    log.info(
        "payload codec on: encrypting with codec key {}, decrypting with {}{}",
        keyring.primaryId(),
        keyring.ids(),
        config.codec().requireEncoded() ? "; payloads it did not encrypt are not read" : "");
    return BreakglassDataConverter.create(keyring, config.codec().requireEncoded());
  }

  /** Validates {@code config} and builds the stub options; connects to nothing. */
  static WorkflowServiceStubsOptions stubsOptions(
      TemporalConfig config, UnaryOperator<String> environment, Scope metricsScope) {
    if (!HOST_PORT.matcher(config.target()).matches()) {
      throw new IllegalArgumentException(
          "temporal.target must be host:port, got '" + config.target() + "'");
    }
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.target());
    TlsConfig tls = config.tls();
    if (tls != null) {
      options.setSslContext(ClientTls.sslContext(tls));
      if (tls.serverNameOverride() != null) {
        options.setChannelInitializer(
            channel -> channel.overrideAuthority(tls.serverNameOverride()));
      }
    }
    if (config.apiKeyEnv() != null) {
      if (tls == null) {
        throw new IllegalArgumentException(
            "temporal.apiKeyEnv is set but temporal.tls is not: an API key must not travel in"
                + " plaintext (add 'tls: {}' to trust the system CAs)");
      }
      String apiKey = environment.apply(config.apiKeyEnv());
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException(
            "temporal.apiKeyEnv: environment variable "
                + config.apiKeyEnv()
                + " is not set or empty");
      }
      String key = apiKey.strip();
      options.addApiKey(() -> key);
    }
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    return options.build();
  }

  /** The client: namespace and data converter already set. */
  public WorkflowClient client() {
    return client;
  }

  /** The gRPC stubs under {@link #client()}. */
  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  /** Closes the channel: in-flight calls get five seconds, then are cancelled. */
  @Override
  public void close() {
    stubs.shutdown();
    if (!stubs.awaitTermination(5, TimeUnit.SECONDS)) {
      stubs.shutdownNow();
    }
  }
}
