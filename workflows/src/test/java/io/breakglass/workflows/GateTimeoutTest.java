package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gate's clock on the workflow logic alone (the script's gates time out after four hours): the
 * reminders, the deadline, and which gates may time out at all. The overdue EMERGENCY revoke gate
 * that never times out is in {@link EmergencyFallbackTest}; the PROCEED gate here is its negative
 * control, since before PROMOTE no new version is CURRENT and a time-out rolls nothing back onto a
 * suspected key.
 */
class GateTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofHours(4);

  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedRotation rotation = new ScriptedRotation(activities);

  @AfterEach
  void close() {
    rotation.close();
  }

  @Test
  void aRoutineProceedGate_staysOpenUntilItsDeadline_thenTimesOutWithoutCreatingAnything() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);

    rotation.env.sleep(TIMEOUT.minusMinutes(1));
    RotationStatus justBefore = rotation.workflow().status();
    rotation.env.sleep(Duration.ofMinutes(2));

    assertThat(justBefore.state()).isEqualTo(RotationState.AWAITING_APPROVAL);
    assertThat(justBefore.pendingGate().state()).isEqualTo(GateState.OPEN);
    assertThat(rotation.failureType()).isEqualTo(RotationErrors.GATE_TIMED_OUT.name());
    assertThat(rotation.workflow().status().gates())
        .singleElement()
        .extracting(GateView::state)
        .isEqualTo(GateState.TIMED_OUT);
    assertThat(activities.noticeEvents())
        .containsSubsequence(
            "gate-proceed-open",
            "gate-proceed-reminder-50",
            "gate-proceed-reminder-90",
            "gate-proceed-timed-out");
    assertThat(activities.callsOf("createVersion")).isEmpty();
  }

  @Test
  void anEmergencyProceedGate_timesOutToo_becauseNoNewVersionIsCurrentYet() {
    rotation.start(RotationKind.EMERGENCY);
    rotation.awaitGate(GateName.PROCEED);

    rotation.env.sleep(TIMEOUT.plusMinutes(1));

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.GATE_TIMED_OUT.name());
    assertThat(activities.noticeEvents())
        .contains("gate-proceed-timed-out")
        .doesNotContain("gate-proceed-overdue");
  }

  @Test
  void aGateDecidedBeforeHalfItsTimeout_sendsNoReminder() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);
    rotation.env.sleep(Duration.ofHours(1));
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitGate(GateName.REVOKE);

    rotation.env.sleep(Duration.ofMinutes(121));

    assertThat(activities.noticeEvents())
        .doesNotContain("gate-proceed-reminder-50", "gate-proceed-reminder-90")
        .contains("gate-revoke-reminder-50");
  }

  @Test
  void aRoutineRevokeGate_remindsThenTimesOut_andRollsBack() {
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitGate(GateName.REVOKE);

    rotation.env.sleep(TIMEOUT.plusMinutes(1));

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.GATE_TIMED_OUT.name());
    assertThat(activities.noticeEvents())
        .containsSubsequence(
            "gate-revoke-reminder-50", "gate-revoke-reminder-90", "gate-revoke-timed-out")
        .doesNotContain("gate-revoke-overdue");
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
    assertThat(activities.callsOf("revoke")).isEmpty();
  }
}
