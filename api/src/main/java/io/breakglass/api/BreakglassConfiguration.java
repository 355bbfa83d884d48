package io.breakglass.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breakglass.api.codec.CodecServerConfig;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.tracing.TracingConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator API's YAML configuration ({@code server api.yml}), with {@code ${ENV_VAR}}
 * substitution: the Temporal client, the databases it reads, the codec server, the API's callers
 * and limits, the part of the rotation settings it reads ({@link ApiRotationSettings}), and
 * Dropwizard's {@code server} and {@code logging}. A field it does not know fails the start naming
 * the field. See {@code deploy/config/api.yml} for a commented example; the worker reads its own
 * file.
 */
public class BreakglassConfiguration extends Configuration {

  /** The name of Breakglass's own database (timeline, audit) in {@code databases}. */
  public static final String BREAKGLASS_DATABASE = "breakglass";

  @Valid @NotNull private TemporalConfig temporal = TemporalConfig.plaintext(null);

  @Valid @NotNull private ApiRotationSettings rotation;

  @Valid @NotNull private Map<String, DataSourceFactory> databases = new LinkedHashMap<>();

  @Valid @NotNull private CodecServerConfig codecServer = CodecServerConfig.closed();

  @Valid @NotNull private ApiConfig api = ApiConfig.closed();

  @NotNull private TracingConfig tracing = TracingConfig.off();

  /** Whether the process sends traces (off by default). */
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

  @JsonProperty
  public ApiRotationSettings getRotation() {
    return rotation;
  }

  @JsonProperty
  public void setRotation(ApiRotationSettings rotation) {
    this.rotation = rotation;
  }

  /** Data sources by name; the API opens {@value #BREAKGLASS_DATABASE} only. */
  @JsonProperty
  public Map<String, DataSourceFactory> getDatabases() {
    return databases;
  }

  @JsonProperty
  public void setDatabases(Map<String, DataSourceFactory> databases) {
    this.databases = databases;
  }

  /**
   * Which browser origins (the Temporal UI) and whose access tokens may call the codec endpoints.
   */
  @JsonProperty
  public CodecServerConfig getCodecServer() {
    return codecServer;
  }

  @JsonProperty
  public void setCodecServer(CodecServerConfig codecServer) {
    this.codecServer = codecServer;
  }

  /** The operator API of the {@code server} command: who may call it, and its limits. */
  @JsonProperty
  public ApiConfig getApi() {
    return api;
  }

  @JsonProperty
  public void setApi(ApiConfig api) {
    this.api = api;
  }
}
