package io.breakglass.api.health;

import com.codahale.metrics.health.HealthCheck;
import java.sql.Connection;
import javax.sql.DataSource;

/** Breakglass's own PostgreSQL database (timeline, audit) hands out a valid connection. */
public final class DatabaseHealth extends HealthCheck {

  private static final int TIMEOUT_SECONDS = 3;

  private final DataSource dataSource;

  public DatabaseHealth(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  protected Result check() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(TIMEOUT_SECONDS)
          ? Result.healthy()
          : Result.unhealthy("no valid connection within " + TIMEOUT_SECONDS + " s");
    }
  }
}
