package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.ProviderKeyActivities.ProviderKey;
import io.breakglass.workflows.activities.ProviderKeyActivities.ProviderKeyDeletion;
import io.breakglass.workflows.activities.ProviderKeyActivities.ProviderKeyRequest;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * After REVOKE, the replaced API key is revoked where it was issued: deleted by an activity when an
 * admin key allows it, otherwise by a human who confirms it with the key's id. The key id is
 * recorded in the timeline and the validations; the key itself never enters the workflow.
 */
final class ProviderRevocations {

  /** A provider's key id as a confirmation names it, e.g. {@code key_abc}; never a key value. */
  private static final Pattern KEY_ID = Pattern.compile("\\bkey_[A-Za-z0-9]{1,64}\\b");

  private final RotationContext rotation;
  private final Escalations escalations;

  ProviderRevocations(RotationContext rotation, Escalations escalations) {
    this.rotation = rotation;
    this.escalations = escalations;
  }

  /** Revokes at its provider the key that {@code version} replaced; nothing for other secrets. */
  void revokeReplaced(NewVersion version) {
    ProviderKeyRequest request =
        new ProviderKeyRequest(
            rotation.rotationId(), version.secret(), version.replacedVersionId());
    while (true) {
      ProviderKey key;
      try {
        key = rotation.activities.providerKeys.findProviderKey(request);
      } catch (ActivityFailure failed) {
        if (cancelled(failed)) {
          throw failed;
        }
        String problem =
            "the replaced key of "
                + version.secret()
                + " (version "
                + version.replacedVersionId()
                + ") could not be found at its provider: "
                + Failures.describe(failed);
        if (confirmedByHand(problem, null, version, true).isPresent()) {
          return;
        }
        continue;
      }
      if (key.provider() == null) {
        return;
      }
      if (!key.automatic()) {
        String todo =
            "no admin key is configured for "
                + key.provider()
                + ": revoke the replaced key of "
                + version.secret()
                + " (version "
                + version.replacedVersionId()
                + ") in project "
                + key.project()
                + " by hand";
        confirmedByHand(todo, key, version, false);
        return;
      }
      if (deleted(key, version)) {
        return;
      }
    }
  }

  /** Deletes the key; false when a human chose RETRY after a failure (from the look-up on). */
  private boolean deleted(ProviderKey key, NewVersion version) {
    ProviderKeyDeletion deletion;
    try {
      deletion = rotation.activities.providerKeys.deleteProviderKey(key);
    } catch (ActivityFailure failed) {
      if (cancelled(failed)) {
        throw failed;
      }
      String problem =
          "deleting key "
              + key.keyId()
              + " of "
              + version.secret()
              + " at "
              + key.provider()
              + " failed: "
              + Failures.describe(failed);
      return confirmedByHand(problem, key, version, true).isPresent();
    }
    String detail =
        "replaced key "
            + deletion.keyId()
            + " of "
            + version.secret()
            + " (version "
            + version.replacedVersionId()
            + ") deleted at "
            + key.provider()
            + " in project "
            + key.project()
            + (deletion.alreadyGone() ? " (it was already gone)" : "");
    rotation.event(TimelineOutcome.SUCCEEDED, SYSTEM_ACTOR, detail);
    rotation.validations.add("provider " + detail);
    rotation.saveTimeline();
    return true;
  }

  /**
   * Waits for a human to confirm the revocation with the key's id (the known one, when {@code key}
   * names it); with {@code retryable}, RETRY is allowed too and returns empty.
   */
  private Optional<String> confirmedByHand(
      String reason, ProviderKey key, NewVersion version, boolean retryable) {
    String expected = key == null ? null : key.keyId();
    List<ResumeAction> allowed =
        retryable
            ? List.of(ResumeAction.RETRY, ResumeAction.CONFIRM_REVOKED)
            : List.of(ResumeAction.CONFIRM_REVOKED);
    String ask =
        reason
            + "; once it is revoked there, CONFIRM_REVOKED with "
            + (expected == null ? "its key id (key_...)" : "key id " + expected)
            + " as the comment"
            + (retryable ? ", or RETRY" : "");
    while (true) {
      Resume answer =
          escalations.ask(
              ask, allowed, expected == null ? List.of() : List.of(expected), "provider-revoke");
      if (answer.action() == ResumeAction.RETRY) {
        return Optional.empty();
      }
      Optional<String> named = keyId(answer.comment());
      if (named.isEmpty() || (expected != null && !expected.equals(named.get()))) {
        rotation.refuse(
            "resume",
            answer.actor(),
            "CONFIRM_REVOKED must name "
                + (expected == null ? "the key id (key_...)" : expected)
                + " of the revoked key");
        continue;
      }
      String detail =
          "replaced key "
              + named.get()
              + " of "
              + version.secret()
              + " (version "
              + version.replacedVersionId()
              + ") revoked at its provider by hand, confirmed by "
              + answer.actor();
      rotation.event(TimelineOutcome.CONFIRMED, answer.actor(), detail);
      rotation.validations.add("provider " + detail);
      rotation.saveTimeline();
      return named;
    }
  }

  private static Optional<String> keyId(String comment) {
    if (comment == null) {
      return Optional.empty();
    }
    Matcher matcher = KEY_ID.matcher(comment);
    return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
  }

  private static boolean cancelled(ActivityFailure failed) {
    return failed.getCause() instanceof CanceledFailure
        || CancellationScope.current().isCancelRequested();
  }
}
