package io.breakglass.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.worker.MetricsConfig;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.tracing.TracingConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker's YAML configuration ({@code worker worker.yml}, also read by {@code verify} and
 * {@code adopt}), with {@code ${ENV_VAR}} substitution: Temporal, the metrics and health endpoint,
 * the rotation settings, the databases and Dropwizard's {@code logging}. A field it does not know
 * fails the start naming the field; the API's sections ({@code server}, {@code api}, {@code
 * codecServer}) are refused. See {@code deploy/config/worker.yml} for a commented example.
 */
public class WorkerConfiguration extends Configuration {

  @Valid @NotNull private TemporalConfig temporal = TemporalConfig.plaintext(null);

  @Valid @NotNull private MetricsConfig metrics = new MetricsConfig(null, null);

  @Valid @NotNull private RotationSettings rotation;

  @Valid @NotNull private Map<String, DataSourceFactory> databases = new LinkedHashMap<>();

  @NotNull private TracingConfig tracing = TracingConfig.off();

  /** Whether the worker sends traces (off by default). */
  @JsonProperty
  public TracingConfig getTracing() {
    return tracing;
  }

  @JsonProperty
  public void setTracing(TracingConfig tracing) {
    this.tracing = tracing;
  }

  @JsonProperty
  public TemporalConfig getTemporal() {
    return temporal;
  }

  @JsonProperty
  public void setTemporal(TemporalConfig temporal) {
    this.temporal = temporal;
  }

  /** Where {@code /metrics}, {@code /health/live} and {@code /health/ready} listen. */
  @JsonProperty
  public MetricsConfig getMetrics() {
    return metrics;
  }

  @JsonProperty
  public void setMetrics(MetricsConfig metrics) {
    this.metrics = metrics;
  }

  @JsonProperty
  public RotationSettings getRotation() {
    return rotation;
  }

  @JsonProperty
  public void setRotation(RotationSettings rotation) {
    this.rotation = rotation;
  }

  /**
   * Data sources by name: {@value BreakglassConfiguration#BREAKGLASS_DATABASE} plus the databases
   * data sets name.
   */
  @JsonProperty
  public Map<String, DataSourceFactory> getDatabases() {
    return databases;
  }

  @JsonProperty
  public void setDatabases(Map<String, DataSourceFactory> databases) {
    this.databases = databases;
  }

  /**
   * Refuses a {@code server} section: the worker serves no Dropwizard HTTP server, so one in its
   * file is a mix-up with the API's configuration.
   */
  @Override
  @JsonProperty("server")
  public void setServerFactory(ServerFactory factory) {
    throw new IllegalArgumentException(
        "server is the API's section (api.yml); the worker serves /metrics and /health on"
            + " metrics.host and metrics.port");
  }
}
