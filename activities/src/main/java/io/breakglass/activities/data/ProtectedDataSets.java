package io.breakglass.activities.data;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.data.s3.S3Endpoint;
import io.breakglass.activities.data.s3.S3ObjectStore;
import io.breakglass.workflows.RotationErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/** Every configured data set, by name, checked against the secrets and databases it names. */
public final class ProtectedDataSets {

  private final Map<String, ProtectedDataSet> byName = new LinkedHashMap<>();
  private S3Client s3;

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
            "data set "
                + config.name()
                + " names secret "
                + config.secret()
                + ", which is not configured");
      }
      if (byName.containsKey(config.name())) {
        throw new IllegalArgumentException("data set " + config.name() + " is configured twice");
      }
      byName.put(
          config.name(),
          new ProtectedDataSet(
              config, store(config, databases, settings.aws()), ProtectedDataSet.codecFor(config)));
    }
  }

  private ItemStore store(DataSetConfig config, Map<String, DataSource> databases, AwsConfig aws) {
    return switch (config.type()) {
      case ARTIFACT_DIRECTORY -> ArtifactDirectoryStore.create(config);
      case S3_OBJECTS -> S3ObjectStore.create(config, () -> s3(aws));
      case POSTGRES_COLUMN -> tableStore(config, databases);
    };
  }

  /** One client for every S3 data set, made only when one is configured. */
  private S3Client s3(AwsConfig aws) {
    if (s3 == null) {
      s3 = S3Endpoint.client(aws);
    }
    return s3;
  }

  private static ItemStore tableStore(DataSetConfig config, Map<String, DataSource> databases) {
    DataSource database = databases.get(config.database());
    if (database == null) {
      throw new IllegalArgumentException(
          "data set "
              + config.name()
              + " names database "
              + config.database()
              + ", which is not configured");
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
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "no data set called " + name + " is configured");
    }
    return dataSet;
  }

  /** The data sets encrypted under {@code secret}, in configuration order. */
  public List<ProtectedDataSet> of(String secret) {
    return byName.values().stream().filter(d -> d.secret().equals(secret)).toList();
  }
}
