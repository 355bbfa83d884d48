package io.breakglass.workflows;

import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What people still have to do once a rotation ended, derived from how it went: the routine tickets
 * to regenerate, the access logs to review after an emergency, what a human accepted instead of
 * fixing, and the compensations skipped for manual repair.
 */
final class FollowUps {

  /** The task every completed rotation hands to the next routine rotation's ticket. */
  static final String REGENERATE_TICKETS = "confirm the automation tickets are regenerated";

  private FollowUps() {}

  /**
   * @param nextDue the next routine rotation, or null when the rotation did not complete
   * @param skipped the compensations skipped for manual repair
   */
  static List<String> of(
      RotationContext rotation, RotationState state, Instant nextDue, List<String> skipped) {
    List<String> followUps = new ArrayList<>();
    if (state == RotationState.COMPLETED && nextDue != null) {
      followUps.add(REGENERATE_TICKETS + " for the next routine rotation, due " + nextDue);
    }
    if (rotation.request.kind() == RotationKind.EMERGENCY) {
      List<String> suspected =
          rotation.versions.stream().map(v -> v.secret() + " " + v.replacedVersionId()).toList();
      followUps.add(
          "review access logs for the suspected key"
              + (suspected.isEmpty()
                  ? "s of " + String.join(", ", rotation.request.secrets())
                  : ": " + String.join(", ", suspected))
              + (state == RotationState.COMPLETED
                  ? " until its revocation"
                  : ", which is still CURRENT"));
    }
    followUps.addAll(rotation.accepted);
    for (String step : skipped) {
      followUps.add("repair by hand (compensation skipped): " + step);
    }
    return List.copyOf(followUps);
  }

  /** The versions in the tracker's words: secret, new version, the one it replaced. */
  static List<String> versions(List<NewVersion> versions) {
    return versions.stream()
        .map(v -> v.secret() + " " + v.versionId() + " replaced " + v.replacedVersionId())
        .toList();
  }
}
