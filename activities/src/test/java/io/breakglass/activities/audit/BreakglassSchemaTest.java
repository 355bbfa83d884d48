package io.breakglass.activities.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreakglassSchemaTest {

  @Test
  void givenAnEmptyDatabase_migratingTwiceCreatesTheTablesOnceAndThenDoesNothing() {
    TestPostgres.Database database = TestPostgres.newDatabase();

    int first = BreakglassSchema.migrate(database.dataSource());
    int second = BreakglassSchema.migrate(database.dataSource());

    assertThat(first).isEqualTo(2);
    assertThat(second).isZero();
    assertThat(tables(database))
        .containsExactlyInAnyOrder(
            "audit_log",
            "breakglass_schema_history",
            "next_rotations",
            "rotations",
            "secret_locks",
            "timeline_entries");
  }

  @Test
  void givenTheServiceAlreadyHasTablesAndItsOwnFlywayHistory_itMigratesBesideThem() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    database
        .jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "CREATE TABLE public.ai_json_snapshots (id bigint PRIMARY KEY, payload jsonb)");
              h.execute(
                  "CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY)");
            });

    int applied = BreakglassSchema.migrate(database.dataSource());
    int serviceHistoryRows =
        database
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM public.flyway_schema_history")
                        .mapTo(Integer.class)
                        .one());

    assertThat(applied).isEqualTo(2);
    assertThat(serviceHistoryRows).isZero();
  }

  private static List<String> tables(TestPostgres.Database database) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'breakglass'")
                    .mapTo(String.class)
                    .list());
  }
}
