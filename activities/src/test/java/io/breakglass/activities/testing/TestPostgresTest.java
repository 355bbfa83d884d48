package io.breakglass.activities.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestPostgresTest {

  @Test
  void eachDatabaseIsFreshAndSeparate() {
    TestPostgres.Database first = TestPostgres.newDatabase();
    TestPostgres.Database second = TestPostgres.newDatabase();
    first.jdbi().useHandle(h -> h.execute("CREATE TABLE t (id int)"));
    Integer tables =
        second
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'")
                        .mapTo(Integer.class)
                        .one());
    assertThat(first.name()).isNotEqualTo(second.name());
    assertThat(tables).isZero();
  }
}
