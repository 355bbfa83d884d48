package io.breakglass.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.breakglass.worker.sample.SampleServiceConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The YAML of {@code sample-service}: the service itself and the database that holds {@code
 * ai_json_snapshots}, with {@code ${ENV_VAR}} substitution (use it for the hash key and the reload
 * token). See {@code deploy/config/sample-service.yml}.
 */
public class SampleServiceConfiguration extends Configuration {

  @Valid @NotNull private SampleServiceConfig service;

  @Valid @NotNull private DataSourceFactory database;

  @JsonProperty
  public SampleServiceConfig getService() {
    return service;
  }

  @JsonProperty
  public void setService(SampleServiceConfig service) {
    this.service = service;
  }

  @JsonProperty
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }
}
