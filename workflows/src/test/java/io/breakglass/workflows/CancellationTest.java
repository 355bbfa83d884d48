package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.failure.CanceledFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cancel on the workflow logic alone, in each place a rotation waits: it ends the rotation
 * cancelled, after undoing what was done before the revoke gate (newest first). A cancel is a
 * human's choice, so it also ends an EMERGENCY rotation that holds for a decision; past the revoke
 * gate nothing is undone.
 */
class CancellationTest {

  private static final String CLOSED = "recordClose ROLLED_BACK";

  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedRotation rotation = new ScriptedRotation(activities);

  @AfterEach
  void close() {
    rotation.close();
  }

  @Test
  void aCancelAtTheProceedGate_endsCancelled_withNothingToUndo() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);

    rotation.cancel();

    assertThat(rotation.awaitFailure()).hasCauseInstanceOf(CanceledFailure.class);
    assertThat(rotation.workflow().status().state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(activities.calls)
        .noneMatch(c -> c.startsWith("createVersion") || c.startsWith("discardVersion"))
        .containsSubsequence(CLOSED, "unlock r-routine");
  }

  @Test
  void aCancelWhileHalted_endsTheHalt_andTheRotation() {
    rotation.start(RotationKind.ROUTINE);
    rotation.awaitGate(GateName.PROCEED);
    rotation.workflow().halt(new Halt("dave", "hold on"));
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitHalted();

    rotation.cancel();

    assertThat(rotation.awaitFailure()).hasCauseInstanceOf(CanceledFailure.class);
    assertThat(activities.callsOf("createVersion")).isEmpty();
    assertThat(activities.calls).containsSubsequence(CLOSED, "unlock r-routine");
  }

  @Test
  void aCancelAtTheRevokeGate_undoesEveryPhaseInReverse() {
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitGate(GateName.REVOKE);

    rotation.cancel();

    assertThat(rotation.awaitFailure()).hasCauseInstanceOf(CanceledFailure.class);
    assertThat(rotation.callsAfter("smokeTest passed"))
        .containsExactly(
            "publishKeyring backend",
            "restart rollback: old versions primary again",
            "restoreLabels v-old",
            "publishKeyring backend",
            "restart rollback: new versions removed from the keyring",
            "discardVersion " + rotation.newVersion(),
            CLOSED,
            "unlock r-routine");
  }

  @Test
  void aCancelWhileAnEmergencyFailureIsHeldForAHuman_isThatHumansChoice_andRollsBack() {
    activities.smokeFailures.set(1);
    rotation.start(RotationKind.EMERGENCY);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.awaitDecision();
    assertThat(activities.callsOf("restoreLabels")).isEmpty();

    rotation.cancel();

    assertThat(rotation.awaitFailure()).hasCauseInstanceOf(CanceledFailure.class);
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
    assertThat(activities.callsOf("discardVersion")).hasSize(1);
  }

  /** The negative control of the rollback on cancel: past the revoke gate nothing is undone. */
  @Test
  void aCancelAfterTheRevokeGate_undoesNothing() {
    activities.acceptedAfterRevoke.set(1);
    rotation.start(RotationKind.EMERGENCY);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.approve(GateName.REVOKE, "carol");
    rotation.awaitDecision();

    rotation.cancel();

    assertThat(rotation.awaitFailure()).hasCauseInstanceOf(CanceledFailure.class);
    assertThat(activities.callsOf("revoke")).containsExactly("revoke v-old");
    assertThat(activities.calls)
        .noneMatch(c -> c.startsWith("restoreLabels") || c.startsWith("discardVersion"))
        .noneMatch(c -> c.startsWith("unrevoke") || c.contains("rollback"));
  }
}
