package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.LeftoverVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The versions PLAN finds usable though neither CURRENT nor PREVIOUS (what an interrupted rotation
 * left behind) are in the rotation's timeline, one LEFTOVER entry each, and so in its status and
 * report; a plan without any adds none. At REVOKE an EMERGENCY rotation revokes each of them with
 * the version it replaced, and the PREVIOUS version that PROMOTE strips of its label; a ROUTINE one
 * asks a human, who revokes them or keeps them knowingly.
 */
class LeftoverVersionsTest {

  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedRotation rotation = new ScriptedRotation(activities);

  @AfterEach
  void close() {
    rotation.close();
  }

  @Test
  void everyLeftoverVersion_isATimelineEntryOfThePlan_namingItAndWhoMadeIt() {
    activities.leftovers =
        List.of(
            new LeftoverVersion("v-suspect", false, "r-interrupted"),
            new LeftoverVersion("v-half-made", true, "r-interrupted"));

    rotation.start(RotationKind.EMERGENCY);
    RotationStatus status = rotation.awaitGate(GateName.PROCEED);

    List<TimelineEntry> leftovers = leftovers(status);
    assertThat(leftovers).hasSize(2).allSatisfy(e -> assertThat(e.phase()).isEqualTo(Phase.PLAN));
    assertThat(leftovers.get(0).detail())
        .startsWith(ScriptedActivities.SECRET + " version v-suspect (usable, no label, made by")
        .contains("r-interrupted")
        .contains("this EMERGENCY rotation revokes it at REVOKE");
    assertThat(leftovers.get(1).detail()).contains("v-half-made (PENDING, made by rotation");
    assertThat(planEntry(status).detail()).contains("2 leftover version(s)");
  }

  @Test
  void aPlanWithoutLeftovers_addsNoEntry() {
    rotation.start(RotationKind.EMERGENCY);
    RotationStatus status = rotation.awaitGate(GateName.PROCEED);

    assertThat(leftovers(status)).as("negative control").isEmpty();
    assertThat(planEntry(status).detail()).doesNotContain("leftover");
  }

  @Test
  void anEmergencyRotation_revokesEveryLeftover_andThePreviousVersion_oneByOne() {
    activities.leftovers =
        List.of(
            new LeftoverVersion("v-suspect", false, "r-interrupted"),
            new LeftoverVersion("v-half-made", true, "r-interrupted"));
    activities.previous = "v-older";

    rotation.start(RotationKind.EMERGENCY);
    assertThat(leftovers(rotation.awaitGate(GateName.PROCEED)))
        .hasSize(3)
        .last()
        .satisfies(e -> assertThat(e.detail()).contains("v-older (PREVIOUS)"));
    rotation.approve(GateName.PROCEED, "bob");
    rotation.approve(GateName.REVOKE, "carol");
    RotationStatus status = rotation.awaitEnd();

    assertThat(activities.callsOf("revoke "))
        .containsExactly(
            "revoke v-old", "revoke v-suspect", "revoke v-half-made", "revoke v-older");
    assertThat(ScriptedRotation.entries(status, TimelineOutcome.SUCCEEDED))
        .contains(
            "revoked the leftover version v-suspect of " + ScriptedActivities.SECRET,
            "revoked the leftover version v-half-made of " + ScriptedActivities.SECRET,
            "revoked the leftover version v-older of " + ScriptedActivities.SECRET,
            "1 old version(s) revoked, and 3 leftover version(s)");
  }

  @Test
  void aRoutineRotation_asksAtRevoke_andRevokesTheLeftoversWhenTheHumanSaysSo() {
    activities.leftovers = List.of(new LeftoverVersion("v-suspect", false, "r-interrupted"));

    PendingDecision decision = routineUpToTheLeftoverDecision();
    assertThat(decision.allowed())
        .containsExactly(ResumeAction.REVOKE_LEFTOVERS, ResumeAction.ACCEPT);
    assertThat(decision.items()).containsExactly(ScriptedActivities.SECRET + " version v-suspect");
    rotation.workflow().resume(new Resume("dave", ResumeAction.REVOKE_LEFTOVERS, "revoke them"));

    rotation.awaitEnd();
    assertThat(activities.callsOf("revoke ")).containsExactly("revoke v-old", "revoke v-suspect");
  }

  @Test
  void aRoutineRotation_keepsTheLeftovers_whenTheHumanAccepts_andRecordsWhoDid() {
    activities.leftovers = List.of(new LeftoverVersion("v-suspect", false, "r-interrupted"));

    routineUpToTheLeftoverDecision();
    rotation.workflow().resume(new Resume("dave", ResumeAction.ACCEPT, "still in use by batch"));

    RotationStatus status = rotation.awaitEnd();
    assertThat(activities.callsOf("revoke ")).containsExactly("revoke v-old");
    assertThat(ScriptedRotation.entries(status, TimelineOutcome.APPROVED))
        .contains("1 leftover version(s) kept usable: accepted by dave: still in use by batch");
  }

  @Test
  void withoutLeftovers_revokeRevokesOnlyTheReplacedVersion_andAsksNothing() {
    rotation.start(RotationKind.ROUTINE);
    rotation.approve(GateName.PROCEED, "bob");
    rotation.approve(GateName.REVOKE, "carol");

    rotation.awaitEnd();
    assertThat(activities.callsOf("revoke "))
        .as("negative control")
        .containsExactly("revoke v-old");
  }

  private PendingDecision routineUpToTheLeftoverDecision() {
    rotation.start(RotationKind.ROUTINE);
    assertThat(leftovers(rotation.awaitGate(GateName.PROCEED)))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("a human decides at REVOKE"));
    rotation.approve(GateName.PROCEED, "bob");
    rotation.approve(GateName.REVOKE, "carol");
    return rotation.awaitDecision();
  }

  private static List<TimelineEntry> leftovers(RotationStatus status) {
    return status.timeline().stream().filter(e -> e.outcome() == TimelineOutcome.LEFTOVER).toList();
  }

  private static TimelineEntry planEntry(RotationStatus status) {
    return status.timeline().stream()
        .filter(e -> e.phase() == Phase.PLAN && e.outcome() == TimelineOutcome.SUCCEEDED)
        .findFirst()
        .orElseThrow();
  }
}
