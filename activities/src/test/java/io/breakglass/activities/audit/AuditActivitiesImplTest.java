package io.breakglass.activities.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.AuditActivities.RotationClose;
import io.breakglass.workflows.activities.AuditActivities.RotationRecord;
import io.breakglass.workflows.activities.AuditActivities.TimelineBatch;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditActivitiesImplTest {

  private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");
  private static final Instant DUE = Instant.parse("2027-02-26T10:00:00Z");

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
  void givenAnUnmigratedDatabase_aWriteFailsAsRetryableAuditUnavailable() {
    AuditActivitiesImpl unmigrated = new AuditActivitiesImpl(TestPostgres.newDatabase().jdbi());

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> unmigrated.recordStart(start("rot-9", T0)));

    assertThat(failure.getType()).isEqualTo(RotationErrors.AUDIT_UNAVAILABLE.name());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("cannot record rotation rot-9 in the audit store (42P01)")
        .doesNotContain("key exposed");
  }

  @Test
  void givenAStartRecordedTwice_itKeepsOneRunningRow() {
    audit.recordStart(start("rot-1", T0));
    audit.recordStart(start("rot-1", T0));

    assertThat(count("breakglass.rotations")).isEqualTo(1);
    RotationRow row = history.find("rot-1").orElseThrow();
    assertThat(row.state()).isEqualTo(RotationState.RUNNING);
    assertThat(row.workflowId()).isEqualTo("rotation-rot-1");
    assertThat(row.kind()).isEqualTo(RotationKind.EMERGENCY);
    assertThat(row.initiator()).isEqualTo("alice");
    assertThat(row.reason()).isEqualTo("key exposed in a build log");
    assertThat(row.secrets()).containsExactly("jwt", "artifact-encryption-key");
    assertThat(row.startedAt()).isEqualTo(T0);
    assertThat(row.endedAt()).isNull();
  }

  @Test
  void givenAPhaseRecordedRunningThenSucceeded_theTimelineHoldsOnlyTheSucceededVersion() {
    TimelineEntry plan = running(1, Phase.PLAN, T0);
    TimelineEntry notify = running(2, Phase.NOTIFY, T0.plusSeconds(5));
    audit.recordTimeline(new TimelineBatch("rot-1", List.of(plan)));
    audit.recordTimeline(
        new TimelineBatch(
            "rot-1",
            List.of(
                plan.end(T0.plusSeconds(5), TimelineOutcome.SUCCEEDED, "2 secret(s)"), notify)));
    audit.recordTimeline(new TimelineBatch("rot-1", List.of(notify)));

    assertThat(history.timeline("rot-1"))
        .containsExactly(
            new TimelineEntry(
                1,
                Phase.PLAN,
                TimelineOutcome.SUCCEEDED,
                TimelineEntry.SYSTEM_ACTOR,
                T0,
                T0.plusSeconds(5),
                "2 secret(s)"),
            notify);
  }

  @Test
  void givenTimelineEntriesOutOfOrder_theTimelineReadsInSeqOrder() {
    audit.recordTimeline(
        new TimelineBatch(
            "rot-1",
            List.of(
                running(3, Phase.BACKUP, T0),
                running(1, Phase.PLAN, T0),
                running(2, Phase.NOTIFY, T0))));
    audit.recordTimeline(new TimelineBatch("rot-2", List.of(running(1, Phase.PLAN, T0))));

    assertThat(history.timeline("rot-1")).extracting(TimelineEntry::seq).containsExactly(1, 2, 3);
    assertThat(history.timeline("unknown")).isEmpty();
  }

  @Test
  void givenACompletedRotation_closeStoresApproversValidationsAndTheNextDueDatePerSecret() {
    audit.recordStart(start("rot-1", T0));
    RotationClose close = completed("rot-1", DUE);
    audit.recordClose(close);
    audit.recordClose(close);

    RotationRow row = history.find("rot-1").orElseThrow();
    assertThat(row.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(row.endedAt()).isEqualTo(T0.plusSeconds(3600));
    assertThat(row.approvers()).containsExactly("bob", "carol");
    assertThat(row.validations())
        .containsExactly(
            "VERIFY_DATA: 0 item(s) under old key ids", "SMOKE_TEST: 3 check(s) passed");
    assertThat(row.itemsReencrypted()).isEqualTo(1200L);
    assertThat(row.nextRotationDue()).isEqualTo(DUE);
    assertThat(row.failure()).isNull();
    assertThat(row.initiator()).isEqualTo("alice");
    assertThat(history.nextRotations())
        .containsExactly(
            new NextRotation("artifact-encryption-key", DUE, "rot-1"),
            new NextRotation("jwt", DUE, "rot-1"));
  }

  @Test
  void givenALaterRotationOfTheSameSecret_itMovesThatSecretsDueDateOnly() {
    audit.recordClose(completed("rot-1", DUE));
    Instant later = DUE.plusSeconds(86_400);
    audit.recordClose(
        new RotationClose(
            "rot-2",
            RotationState.COMPLETED,
            T0.plusSeconds(90_000),
            List.of(new NewVersion("jwt", "v3", "v2", "v1")),
            List.of("dave"),
            List.of(),
            0,
            later,
            null));

    assertThat(history.nextRotations())
        .containsExactly(
            new NextRotation("artifact-encryption-key", DUE, "rot-1"),
            new NextRotation("jwt", later, "rot-2"));
  }

  @Test
  void givenAFailedRotation_closeRecordsTheFailureAndSchedulesNothing() {
    audit.recordStart(start("rot-1", T0));
    audit.recordClose(
        new RotationClose(
            "rot-1",
            RotationState.ROLLED_BACK,
            T0.plusSeconds(60),
            List.of(new NewVersion("jwt", "v2", "v1", null)),
            List.of(),
            List.of(),
            0,
            null,
            "GATE_REJECTED: gate PROCEED rejected by bob: wrong window"));

    RotationRow row = history.find("rot-1").orElseThrow();
    assertThat(row.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(row.failure())
        .isEqualTo("GATE_REJECTED: gate PROCEED rejected by bob: wrong window");
    assertThat(row.nextRotationDue()).isNull();
    assertThat(history.nextRotations()).isEmpty();
  }

  @Test
  void givenACloseWithoutARecordedStart_itStillRecordsTheOutcome() {
    audit.recordClose(
        new RotationClose(
            "rot-9", RotationState.FAILED, T0, List.of(), List.of(), List.of(), 0, null, "boom"));

    RotationRow row = history.find("rot-9").orElseThrow();
    assertThat(row.state()).isEqualTo(RotationState.FAILED);
    assertThat(row.secrets()).isEmpty();
    assertThat(row.startedAt()).isNull();
  }

  @Test
  void givenAStartRetriedAfterTheClose_theRotationStaysClosed() {
    audit.recordStart(start("rot-1", T0));
    audit.recordClose(completed("rot-1", DUE));
    audit.recordStart(start("rot-1", T0));

    assertThat(history.find("rot-1").orElseThrow().state()).isEqualTo(RotationState.COMPLETED);
  }

  private int count(String table) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
  }

  static RotationRecord start(String rotationId, Instant startedAt) {
    return new RotationRecord(
        rotationId,
        "rotation-" + rotationId,
        RotationKind.EMERGENCY,
        "alice",
        "key exposed in a build log",
        List.of("jwt", "artifact-encryption-key"),
        startedAt);
  }

  private static RotationClose completed(String rotationId, Instant due) {
    return new RotationClose(
        rotationId,
        RotationState.COMPLETED,
        T0.plusSeconds(3600),
        List.of(
            new NewVersion("jwt", "v2", "v1", null),
            new NewVersion("artifact-encryption-key", "v8", "v7", "v6"),
            new NewVersion("jwt", "v2", "v1", null)),
        List.of("bob", "carol"),
        List.of("VERIFY_DATA: 0 item(s) under old key ids", "SMOKE_TEST: 3 check(s) passed"),
        1200,
        due,
        null);
  }

  private static TimelineEntry running(int seq, Phase phase, Instant at) {
    return new TimelineEntry(
        seq, phase, TimelineOutcome.RUNNING, TimelineEntry.SYSTEM_ACTOR, at, null, null);
  }
}
