package io.breakglass.activities.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.ScheduledRoutineStart;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The schedule a completed rotation writes: it first fires at the due date (never at the moment the
 * rotation completed, one interval earlier), then every interval; an operator's pause and note
 * survive a move; each firing starts the firing workflow with the secret.
 */
class RoutineScheduleShapeTest {

  private static final Duration EVERY = Duration.ofDays(90);
  private static final Instant CLOSED = Instant.parse("2026-12-03T03:46:59.800Z");
  private static final Instant DUE = CLOSED.plus(EVERY);

  @Test
  void itFirstFiresAtTheDueDate_roundedUpToTheSecond_andNotAtTheCompletionOneIntervalEarlier() {
    Schedule schedule =
        RoutineScheduleShape.of("jwt", DUE, EVERY, "r1", "breakglass-rotation", null);

    ScheduleIntervalSpec interval = schedule.getSpec().getIntervals().get(0);
    Instant first = schedule.getSpec().getStartAt();
    assertThat(first).isEqualTo(Instant.parse("2027-03-03T03:47:00Z"));
    assertThat(interval.getEvery()).isEqualTo(EVERY);
    assertThat(first.getEpochSecond() % EVERY.getSeconds())
        .isEqualTo(interval.getOffset().getSeconds());
    // Negative control: without the start, the interval alone also fires at the completion's
    // second.
    Instant oneEarlier = first.minus(EVERY);
    assertThat(oneEarlier).isAfter(CLOSED);
    assertThat(oneEarlier.getEpochSecond() % EVERY.getSeconds())
        .isEqualTo(interval.getOffset().getSeconds());
  }

  @Test
  void aMove_keepsAnOperatorsPauseAndNote_andAnUnpausedScheduleGetsBreakglasssNote() {
    ScheduleState paused =
        ScheduleState.newBuilder().setPaused(true).setNote("held for the audit").build();
    ScheduleState running = ScheduleState.newBuilder().setNote("old note").build();

    Schedule keptPaused = RoutineScheduleShape.of("jwt", DUE, EVERY, "r2", "q", paused);
    Schedule rewritten = RoutineScheduleShape.of("jwt", DUE, EVERY, "r2", "q", running);

    assertThat(keptPaused.getState()).isEqualTo(paused);
    assertThat(rewritten.getState().isPaused()).isFalse();
    assertThat(rewritten.getState().getNote())
        .contains("every PT2160H")
        .contains("set by rotation r2");
  }

  @Test
  void eachFiring_startsTheFiringWorkflow_underTheScheduleId_withTheSecret() {
    ScheduleActionStartWorkflow action =
        (ScheduleActionStartWorkflow)
            RoutineScheduleShape.of("jwt", DUE, EVERY, "r1", "q", null).getAction();

    assertThat(action.getWorkflowType()).isEqualTo("ScheduledRoutineRotationWorkflow");
    assertThat(action.getOptions().getWorkflowId()).isEqualTo("routine-rotation-jwt");
    assertThat(action.getOptions().getTaskQueue()).isEqualTo("q");
    assertThat(action.getArguments().get(0, ScheduledRoutineStart.class))
        .isEqualTo(new ScheduledRoutineStart("jwt"));
  }
}
