package io.breakglass.worker.rotation;

import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.values.NewVersion;

/**
 * The real secret activities, except that the first {@code createVersion} is held (see {@link
 * HeldCall}) before it creates anything; a discard lets it go on. It never heartbeats, like the
 * real one: it cannot learn of a cancel and always goes on to create its version, so a workflow
 * that compensated without waiting for it is left with a PENDING version.
 */
final class HeldCreateVersion implements SecretActivities {

  final HeldCall held = new HeldCall("createVersion");
  private final SecretActivities real;
  private volatile String heldSecret;

  HeldCreateVersion(SecretActivities real) {
    this.real = real;
  }

  @Override
  public NewVersion createVersion(VersionRequest request) {
    if (!held.take()) {
      return real.createVersion(request);
    }
    heldSecret = request.secret();
    try {
      held.enter();
      return real.createVersion(request);
    } finally {
      held.end();
    }
  }

  @Override
  public void discardVersion(VersionRequest request) {
    real.discardVersion(request);
    held.compensating();
  }

  @Override
  public void promote(VersionRequest request) {
    real.promote(request);
  }

  @Override
  public void restoreLabels(NewVersion change) {
    real.restoreLabels(change);
  }

  @Override
  public void revoke(VersionRequest request) {
    real.revoke(request);
  }

  @Override
  public void unrevoke(VersionRequest request) {
    real.unrevoke(request);
  }

  /** The secret whose createVersion was held; null before it was called. */
  String heldSecret() {
    return heldSecret;
  }
}
