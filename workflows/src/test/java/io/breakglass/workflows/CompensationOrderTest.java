package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The saga on the workflow logic alone: a ROUTINE rotation that fails at each phase before the
 * revoke gate undoes exactly what it did, newest first, and only then records its close and
 * releases its locks. Each test reads the calls the activities saw after the failing one.
 */
class CompensationOrderTest {

  private static final String DISTRIBUTE_UNDONE =
      "restart rollback: new versions removed from the keyring";
  private static final String PROMOTE_UNDONE = "restart rollback: old versions primary again";
  private static final String DISTRIBUTED =
      "restart DISTRIBUTE: new versions can decrypt, old ones stay primary";
  private static final String PROMOTED =
      "restart PROMOTE: new versions primary, old ones decrypt-only";
  private static final String CLOSED = "recordClose ROLLED_BACK";
  private static final String UNLOCKED = "unlock r-routine";

  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedRotation rotation = new ScriptedRotation(activities);

  @AfterEach
  void close() {
    rotation.close();
  }

  @Test
  void aFailedPlan_hasNothingToUndo_andOnlyReleasesItsLock() {
    activities.failing.add("plan");
    rotation.start(RotationKind.ROUTINE);

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.callsAfter("plan")).containsExactly(CLOSED, UNLOCKED);
  }

  @Test
  void aRejectedProceedGate_hasNothingToUndo() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);
    rotation
        .workflow()
        .decide(new GateDecision(GateName.PROCEED, Verdict.REJECT, "bob", "not now"));

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.GATE_REJECTED.name());
    assertThat(activities.callsOf("createVersion")).isEmpty();
    assertThat(rotation.workflow().status().compensations()).isEmpty();
    assertThat(rotation.callsAfter("plan")).containsExactly(CLOSED, UNLOCKED);
  }

  @Test
  void aFailedCreateVersion_discardsTheVersion_registeredBeforeTheCall() {
    activities.failing.add("createVersion");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.callsAfter("createVersion " + rotation.newVersion()))
        .containsExactly("discardVersion " + rotation.newVersion(), CLOSED, UNLOCKED);
  }

  @Test
  void aFailedDistribute_restoresTheKeyring_thenDiscardsTheVersion() {
    activities.failing.add("restart DISTRIBUTE");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.callsAfter(DISTRIBUTED))
        .containsExactly(
            "publishKeyring backend",
            DISTRIBUTE_UNDONE,
            "discardVersion " + rotation.newVersion(),
            CLOSED,
            UNLOCKED);
  }

  @Test
  void aFailedPromote_movesCurrentBackFirst_becauseAFailedPromoteMayStillHaveTakenEffect() {
    activities.failing.add("promote");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.callsAfter("promote " + rotation.newVersion()))
        .containsExactly(
            "restoreLabels v-old",
            "publishKeyring backend",
            DISTRIBUTE_UNDONE,
            "discardVersion " + rotation.newVersion(),
            CLOSED,
            UNLOCKED);
  }

  @Test
  void aFailedRestartAfterPromote_undoesEveryPhaseInReverse() {
    activities.failing.add("restart PROMOTE");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.callsAfter(PROMOTED)).containsExactly(fullRollback());
    assertThat(rotation.workflow().status().compensations())
        .extracting(CompensationView::order, CompensationView::state)
        .containsExactly(
            tuple(1, CompensationState.DONE),
            tuple(2, CompensationState.DONE),
            tuple(3, CompensationState.DONE),
            tuple(4, CompensationState.DONE));
  }

  @Test
  void aFailedSmokeTest_undoesEveryPhaseInReverse() {
    activities.smokeFailures.set(1);
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.SMOKE_TEST_FAILED.name());
    assertThat(rotation.callsAfter("smokeTest failed")).containsExactly(fullRollback());
  }

  @Test
  void aRejectedRevokeGate_undoesEveryPhaseInReverse() {
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitGate(GateName.REVOKE);
    rotation
        .workflow()
        .decide(new GateDecision(GateName.REVOKE, Verdict.REJECT, "carol", "errors up"));

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.GATE_REJECTED.name());
    assertThat(rotation.callsAfter("smokeTest passed")).containsExactly(fullRollback());
  }

  /** The negative control: past the revoke gate nothing is undone, every step is RELEASED. */
  @Test
  void aCompletedRotation_releasesEveryCompensation_andUndoesNothing() {
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.approve(GateName.REVOKE, "carol");

    RotationStatus end = rotation.awaitEnd();

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(end.compensations())
        .hasSize(4)
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.RELEASED);
    assertThat(activities.calls)
        .noneMatch(c -> c.startsWith("discardVersion") || c.startsWith("restoreLabels"))
        .noneMatch(c -> c.contains("rollback"));
  }

  @Test
  void aCompensationThatKeepsFailing_asksAHuman_andRetryRunsItAgain() {
    activities.failing.add("createVersion");
    activities.failing.add("discardVersion");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    PendingDecision decision = rotation.awaitDecision();
    assertThat(decision.allowed()).containsExactly(ResumeAction.RETRY, ResumeAction.SKIP_STEP);
    assertThat(decision.reason()).startsWith("compensation 1 (discard version");
    assertThat(activities.calls).doesNotContain(CLOSED);
    activities.failing.remove("discardVersion");
    rotation.workflow().resume(new Resume("dave", ResumeAction.RETRY, "store back"));

    assertThat(rotation.failureType()).isEqualTo(ScriptedActivities.FAULT);
    assertThat(rotation.callsAfter("createVersion " + rotation.newVersion()))
        .containsExactly(
            "discardVersion " + rotation.newVersion(),
            "discardVersion " + rotation.newVersion(),
            CLOSED,
            UNLOCKED);
    assertThat(rotation.workflow().status().state()).isEqualTo(RotationState.ROLLED_BACK);
  }

  @Test
  void aSkippedCompensation_letsTheOthersRun_andFailsTheRotationForManualRepair() {
    activities.failing.add("promote");
    activities.failing.add("restoreLabels");
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");

    rotation.awaitDecision();
    rotation.workflow().resume(new Resume("dave", ResumeAction.SKIP_STEP, "fixing labels by hand"));

    assertThat(rotation.failureType()).isEqualTo(RotationErrors.COMPENSATION_FAILED.name());
    RotationStatus end = rotation.workflow().status();
    assertThat(end.state()).isEqualTo(RotationState.FAILED);
    assertThat(end.failure()).isNotNull();
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsExactly(
            CompensationState.DONE, CompensationState.DONE, CompensationState.SKIPPED_BY_OPERATOR);
    assertThat(rotation.callsAfter("restoreLabels v-old"))
        .containsExactly(
            "publishKeyring backend",
            DISTRIBUTE_UNDONE,
            "discardVersion " + rotation.newVersion(),
            "recordClose FAILED",
            UNLOCKED);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Every step a rotation that reached PROMOTE undoes, newest first, then the close. */
  private String[] fullRollback() {
    return new String[] {
      "publishKeyring backend",
      PROMOTE_UNDONE,
      "restoreLabels v-old",
      "publishKeyring backend",
      DISTRIBUTE_UNDONE,
      "discardVersion " + rotation.newVersion(),
      CLOSED,
      UNLOCKED
    };
  }
}
