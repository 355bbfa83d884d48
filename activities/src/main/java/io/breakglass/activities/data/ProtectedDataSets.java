package io.breakglass.activities.data;

import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.DataSetType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Every configured data set, by name, checked against the secrets and databases it names. */
public final class ProtectedDataSets {

  private final Map<String, ProtectedDataSet> byName = new LinkedHashMap<>();

  /**
   * Builds the stores of every data set in {@code settings}.
   *
   * @param databases data sources by the names data sets refer to
   * @throws IllegalArgumentException naming the first data set that is misconfigured
   */
  public ProtectedDataSets(RotationSettings settings, Map<String, DataSource> databases) {
    for (DataSetConfig config : settings.dataSets()) {
      if (settings.secret(config.secret()).isEmpty()) {
        throw new IllegalArgumentException(
            "data set " + config.name() + " names secret " + config.secret() + ", which is not configured");
      }
      if (byName.containsKey(config.name())) {
        throw new IllegalArgumentException("data set " + config.name() + " is configured twice");
      }
      byName.put(config.name(), new ProtectedDataSet(config, store(config, databases), ProtectedDataSet.codecFor(config)));
    }
  }

  private static ItemStore store(DataSetConfig config, Map<String, DataSource> databases) {
    if (config.type() == DataSetType.ARTIFACT_DIRECTORY) {
      return ArtifactDirectoryStore.create(config);
    }
    DataSource database = databases.get(config.database());
    if (database == null) {
      throw new IllegalArgumentException(
          "data set " + config.name() + " names database " + config.database() + ", which is not configured");
    }
    return PostgresColumnStore.create(config, database);
  }

  /**
   * The data set called {@code name}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_CONFIGURATION} when there is none
   */
  public ProtectedDataSet get(String name) {
    ProtectedDataSet dataSet = byName.get(name);
    if (dataSet == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure("no data set called " + name + " is configured");
    }
    return dataSet;
  }

  /** The data sets encrypted under {@code secret}, in configuration order. */
  public List<ProtectedDataSet> of(String secret) {
    return byName.values().stream().filter(d -> d.secret().equals(secret)).toList();
  }
}
