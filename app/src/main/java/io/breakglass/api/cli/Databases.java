package io.breakglass.api.cli;

import com.codahale.metrics.MetricRegistry;
import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

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

  /**
   * Breakglass's own database among {@code databases}, migrated to the current schema.
   *
   * @param needs what the command reads or writes there, for the error when it is missing
   */
  static DataSource own(Map<String, ManagedDataSource> databases, String needs) {
    DataSource own = databases.get(BreakglassConfiguration.BREAKGLASS_DATABASE);
    if (own == null) {
      throw new IllegalArgumentException(
          "databases."
              + BreakglassConfiguration.BREAKGLASS_DATABASE
              + " is required ("
              + needs
              + ")");
    }
    BreakglassSchema.migrate(own);
    return own;
  }

  static void close(Map<String, ManagedDataSource> databases) throws Exception {
    for (ManagedDataSource dataSource : databases.values()) {
      dataSource.stop();
    }
  }
}
