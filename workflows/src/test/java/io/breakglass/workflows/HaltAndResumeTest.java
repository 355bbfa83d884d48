package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedRotation.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's halt on the workflow logic alone: it takes hold at the next step, holds for as long
 * as nobody resumes (workflow time is skipped across the wait), and ends in CONTINUE or, before the
 * point of no return, ROLLBACK. While compensating only CONTINUE is offered.
 */
class HaltAndResumeTest {

  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedRotation rotation = new ScriptedRotation(activities);

  @AfterEach
  void close() {
    rotation.close();
  }

  @Test
  void aHaltAtTheProceedGate_holdsTheRotationBeforeCreateVersion_untilSomeoneContinues() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);
    rotation.workflow().halt(new Halt("dave", "database latency alarm"));
    rotation.approve(GateName.PROCEED, "bob");

    RotationStatus halted = rotation.awaitHalted();
    rotation.env.sleep(Duration.ofHours(12));
    RotationStatus later = rotation.workflow().status();

    assertThat(halted.pendingDecision().reason())
        .isEqualTo("halted by dave: database latency alarm");
    assertThat(halted.pendingDecision().allowed())
        .containsExactly(ResumeAction.CONTINUE, ResumeAction.ROLLBACK);
    assertThat(later.state()).isEqualTo(RotationState.HALTED);
    assertThat(activities.callsOf("createVersion")).as("nothing created while halted").isEmpty();

    rotation.workflow().resume(new Resume("erin", ResumeAction.CONTINUE, "latency back to normal"));
    rotation.approve(GateName.REVOKE, "carol");

    RotationStatus end = rotation.awaitEnd();
    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("createVersion")).hasSize(1);
    assertThat(entries(end, TimelineOutcome.HALTED)).containsExactly("database latency alarm");
    assertThat(entries(end, TimelineOutcome.RESUMED))
        .containsExactly("CONTINUE: latency back to normal");
  }

  /** The negative control of the halt: without one, the approval creates the version at once. */
  @Test
  void withoutAHalt_approvingTheProceedGateCreatesTheVersion() {
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .until(() -> activities.callsOf("createVersion").size() == 1);
    assertThat(rotation.workflow().status().state()).isNotEqualTo(RotationState.HALTED);
  }

  @Test
  void aHaltAnsweredWithRollback_beforeTheRevokeGate_undoesEveryPhase() {
    activities.policy =
        new GatePolicy(
            1,
            Duration.ofHours(4),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2));
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitStatus(s -> s.phase() == Phase.GATE_REVOKE && s.pendingGate() == null);
    rotation.workflow().halt(new Halt("dave", "error budget burning"));

    rotation.env.sleep(Duration.ofHours(2));
    PendingDecision decision = rotation.awaitDecision();
    assertThat(decision.reason()).isEqualTo("halted by dave: error budget burning");
    assertThat(activities.callsOf("restoreLabels")).isEmpty();
    rotation.workflow().resume(new Resume("erin", ResumeAction.ROLLBACK, "back to the old key"));

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.ROLLED_BACK_BY_OPERATOR.name());
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
    assertThat(activities.callsOf("discardVersion"))
        .containsExactly("discardVersion " + rotation.newVersion());
    assertThat(activities.callsOf("revoke")).isEmpty();
  }

  @Test
  void aHaltDuringTheRollback_holdsTheNextCompensation_andOffersOnlyContinue() {
    activities.failing.add("restart DISTRIBUTE");
    activities.failing.add("restart rollback");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    PendingDecision compensationFailed = rotation.awaitDecision();
    assertThat(compensationFailed.allowed())
        .containsExactly(ResumeAction.RETRY, ResumeAction.SKIP_STEP);

    rotation.workflow().halt(new Halt("dave", "look before undoing more"));
    activities.failing.remove("restart rollback");
    rotation
        .workflow()
        .resume(new Resume("erin", ResumeAction.RETRY, "deployment reachable again"));
    PendingDecision halted = rotation.awaitHalted().pendingDecision();

    assertThat(halted.allowed()).containsExactly(ResumeAction.CONTINUE);
    assertThat(activities.callsOf("discardVersion")).as("the next compensation waits").isEmpty();
    rotation.workflow().resume(new Resume("erin", ResumeAction.CONTINUE, "go on"));

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.workflow().status().state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(activities.callsOf("discardVersion")).hasSize(1);
  }

  @Test
  void aSecondHalt_aResumeWithNothingToDecide_andAnActionNotOffered_areRefusedAndListed() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);
    rotation.workflow().resume(new Resume("erin", ResumeAction.CONTINUE, "too early"));
    rotation.workflow().halt(new Halt("dave", "first"));
    rotation.workflow().halt(new Halt("frank", "second"));
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitHalted();
    rotation.workflow().resume(new Resume("erin", ResumeAction.SKIP_STEP, "skip it"));

    RotationStatus status = rotation.awaitStatus(s -> s.refusals().size() == 3);

    assertThat(status.refusals())
        .extracting(Refusal::signal, Refusal::actor, Refusal::reason)
        .containsExactly(
            tuple("resume", "erin", "the rotation is not waiting for a decision"),
            tuple("halt", "frank", "already halted by dave"),
            tuple(
                "resume",
                "erin",
                "action SKIP_STEP does not apply now; allowed: [CONTINUE, ROLLBACK]"));
    assertThat(status.state())
        .as("a refused resume changes nothing")
        .isEqualTo(RotationState.HALTED);
  }
}
