package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.SecretActivities.VersionRequest;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.values.LeftoverVersion;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.SecretPlan;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The versions an earlier, interrupted rotation left usable although neither CURRENT nor PREVIOUS
 * (its new version, or the one it was replacing, suspected compromised). PLAN lists each in the
 * timeline; at REVOKE an EMERGENCY rotation revokes every one with the version it replaced, and a
 * ROUTINE rotation asks a human whether to, recording the answer. VERIFY_DATA has shown by then
 * that no item is under any version but the new one, so revoking them loses nothing.
 */
final class Leftovers {

  /** Histories that planned before leftovers were revoked only list them. */
  private static final String REVOKE_LEFTOVERS = "revoke-leftovers";

  private final RotationContext rotation;
  private final Escalations escalations;
  private final List<VersionRequest> found = new ArrayList<>();
  private boolean settledAtRevoke;

  Leftovers(RotationContext rotation, Escalations escalations) {
    this.rotation = rotation;
    this.escalations = escalations;
  }

  /**
   * PLAN: one LEFTOVER entry per version the plan found, and per PREVIOUS version, which is still
   * usable and loses its label at PROMOTE (an interrupted rotation's suspected key stays PREVIOUS
   * once its new version was promoted). Returns how many.
   */
  int report() {
    List<String> entries = new ArrayList<>();
    for (SecretPlan secret : rotation.plan.secrets()) {
      for (LeftoverVersion leftover : secret.leftovers()) {
        found.add(new VersionRequest(rotation.rotationId(), secret.name(), leftover.versionId()));
        entries.add(
            secret.name()
                + " version "
                + leftover.describe()
                + " is usable but neither CURRENT nor PREVIOUS");
      }
    }
    if (found.isEmpty() && olderPrevious().isEmpty()) {
      return 0;
    }
    settledAtRevoke =
        Workflow.getVersion(REVOKE_LEFTOVERS, Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION;
    if (settledAtRevoke) {
      for (SecretPlan secret : olderPrevious()) {
        found.add(
            new VersionRequest(rotation.rotationId(), secret.name(), secret.previousVersionId()));
        entries.add(
            secret.name()
                + " version "
                + secret.previousVersionId()
                + " (PREVIOUS) is usable and loses its label at PROMOTE");
      }
    }
    String fate =
        !settledAtRevoke
            ? "this rotation does not revoke it: revoke it if it may be compromised"
            : rotation.request.kind() == RotationKind.EMERGENCY
                ? "this EMERGENCY rotation revokes it at REVOKE"
                : "a human decides at REVOKE whether this rotation revokes it";
    entries.forEach(
        entry -> rotation.event(TimelineOutcome.LEFTOVER, SYSTEM_ACTOR, entry + "; " + fate));
    return entries.size();
  }

  /** The secrets whose PREVIOUS version is an older one than the CURRENT this rotation replaces. */
  private List<SecretPlan> olderPrevious() {
    return rotation.plan.secrets().stream()
        .filter(s -> s.previousVersionId() != null)
        .filter(s -> !s.previousVersionId().equals(s.currentVersionId()))
        .toList();
  }

  /**
   * REVOKE, after the replaced versions: revokes the leftovers one by one through {@code revoke},
   * each recorded, unless a ROUTINE rotation's human chose to keep them. Returns how many it
   * revoked.
   */
  int settle(Consumer<VersionRequest> revoke) {
    if (!settledAtRevoke) {
      return 0;
    }
    if (rotation.request.kind() == RotationKind.ROUTINE && !revokeChosen()) {
      return 0;
    }
    for (VersionRequest leftover : found) {
      revoke.accept(leftover);
      rotation.event(
          TimelineOutcome.SUCCEEDED,
          SYSTEM_ACTOR,
          "revoked the leftover version " + leftover.versionId() + " of " + leftover.secret());
    }
    return found.size();
  }

  /** Whether the human a ROUTINE rotation asks chooses to revoke the leftovers; recorded. */
  private boolean revokeChosen() {
    List<String> listed =
        found.stream().map(v -> v.secret() + " version " + v.versionId()).toList();
    Resume answer =
        escalations.ask(
            found.size()
                + " leftover version(s) are still usable: REVOKE_LEFTOVERS revokes them now,"
                + " ACCEPT keeps them usable with the decision recorded",
            List.of(ResumeAction.REVOKE_LEFTOVERS, ResumeAction.ACCEPT),
            listed,
            "leftover-versions");
    if (answer.action() == ResumeAction.REVOKE_LEFTOVERS) {
      return true;
    }
    String kept =
        found.size()
            + " leftover version(s) kept usable: accepted by "
            + answer.actor()
            + (answer.comment() == null ? "" : ": " + answer.comment());
    rotation.event(TimelineOutcome.APPROVED, answer.actor(), kept);
    rotation.accepted.add(kept);
    return false;
  }
}
