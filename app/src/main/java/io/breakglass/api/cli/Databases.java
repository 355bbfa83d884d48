package io.breakglass.api.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configured data sources, started, by name. */
final class Databases {

  private Databases() {}

  static Map<String, ManagedDataSource> open(Map<String, DataSourceFactory> factories)
      throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Map<String, ManagedDataSource> databases = new LinkedHashMap<>();
    for (Map.Entry<String, DataSourceFactory> entry : factories.entrySet()) {
      ManagedDataSource dataSource = entry.getValue().build(registry, entry.getKey());
      dataSource.start();
      databases.put(entry.getKey(), dataSource);
    }
    return databases;
  }

  static void close(Map<String, ManagedDataSource> databases) throws Exception {
    for (ManagedDataSource dataSource : databases.values()) {
      dataSource.stop();
    }
  }
}
