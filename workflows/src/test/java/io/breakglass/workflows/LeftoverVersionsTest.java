package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.LeftoverVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The versions PLAN finds usable though neither CURRENT nor PREVIOUS (what an interrupted rotation
 * left behind) are in the rotation's timeline, one LEFTOVER entry each, and so in its status and
 * report; a plan without any adds none.
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
        .contains("revoke it if it may be compromised");
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
