package io.breakglass.activities.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.activities.AuditActivities.RotationClose;
import io.breakglass.workflows.messages.values.RotationState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RotationHistoryTest {

  private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

  private Jdbi jdbi;
  private AuditActivitiesImpl audit;
  private RotationHistory history;

  @BeforeEach
  void migratedDatabase() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    BreakglassSchema.migrate(database.dataSource());
    jdbi = database.jdbi();
    audit = new AuditActivitiesImpl(jdbi);
    history = new RotationHistory(jdbi);
  }

  @Test
  void listReturnsTheNewestRotationsFirstUpToTheLimit() {
    audit.recordStart(AuditActivitiesImplTest.start("rot-b", T0.plusSeconds(60)));
    audit.recordStart(AuditActivitiesImplTest.start("rot-a", T0));
    audit.recordStart(AuditActivitiesImplTest.start("rot-d", T0.plusSeconds(180)));
    audit.recordClose(
        new RotationClose(
            "rot-c",
            RotationState.FAILED,
            T0.plusSeconds(120),
            List.of(),
            List.of(),
            List.of(),
            0,
            null,
            "PLAN failed"));

    List<RotationRow> newest = history.list(10);

    assertNewestFirst(newest);
    assertThat(newest)
        .extracting(RotationRow::rotationId)
        .containsExactly("rot-d", "rot-c", "rot-b", "rot-a");
    assertThat(history.list(2))
        .extracting(RotationRow::rotationId)
        .containsExactly("rot-d", "rot-c");
  }

  @Test
  void negativeControl_theOrderCheckFailsOnOldestFirst() {
    audit.recordStart(AuditActivitiesImplTest.start("rot-a", T0));
    audit.recordStart(AuditActivitiesImplTest.start("rot-b", T0.plusSeconds(60)));
    List<RotationRow> oldestFirst =
        history.list(10).stream().sorted(Comparator.comparing(RotationRow::startedAt)).toList();

    assertThatThrownBy(() -> assertNewestFirst(oldestFirst)).isInstanceOf(AssertionError.class);
  }

  @Test
  void findAnswersEmptyForARotationNeverRecorded() {
    assertThat(history.find("never")).isEmpty();
  }

  @Test
  void listRefusesALimitOutsideOneToMax() {
    assertThatThrownBy(() -> history.list(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.list(RotationHistory.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theAuditLogAppendsEachOperatorActionWithItsOwnIdAndTime() {
    AuditLog log = new AuditLog(jdbi);

    long first = log.record("bob", "approve", "rot-1", "accepted", "gate PROCEED");
    long second = log.record("mallory", "approve", "rot-1", "refused", null);

    assertThat(second).isGreaterThan(first);
    List<Map<String, Object>> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT id, actor, action, target, result, detail, at IS NOT NULL AS stamped"
                            + " FROM breakglass.audit_log ORDER BY id")
                    .mapToMap()
                    .list());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0))
        .containsEntry("id", first)
        .containsEntry("actor", "bob")
        .containsEntry("action", "approve")
        .containsEntry("target", "rot-1")
        .containsEntry("result", "accepted")
        .containsEntry("detail", "gate PROCEED")
        .containsEntry("stamped", true);
    assertThat(rows.get(1)).containsEntry("result", "refused").containsEntry("detail", null);
  }

  private static void assertNewestFirst(List<RotationRow> rows) {
    List<Instant> times =
        rows.stream().map(r -> r.startedAt() != null ? r.startedAt() : r.endedAt()).toList();
    assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
  }
}
