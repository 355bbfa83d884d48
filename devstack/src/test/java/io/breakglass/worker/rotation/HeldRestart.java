package io.breakglass.worker.rotation;

import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.time.Instant;

/**
 * The real deployment activities, except that the first {@code restart} (DISTRIBUTE's) is held (see
 * {@link HeldCall}) and then behaves like a rollout that never becomes ready: it heartbeats until
 * its heartbeat reports the cancel, as a Kubernetes restart does, and ends with it. A keyring
 * published meanwhile lets it go on; the rollback publishes one before it restarts again.
 */
final class HeldRestart implements DeploymentActivities {

  /** How long the endless rollout heartbeats before giving up on ever being cancelled. */
  private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(2);

  final HeldCall held = new HeldCall("restart");
  private final DeploymentActivities real;

  HeldRestart(DeploymentActivities real) {
    this.real = real;
  }

  @Override
  public RestartOutcome restart(RestartRequest request) {
    if (!held.take()) {
      return real.restart(request);
    }
    try {
      held.enter();
      Instant limit = Instant.now().plus(ROLLOUT_LIMIT);
      while (Instant.now().isBefore(limit)) {
        // Throws ActivityCanceledException once the heartbeat's answer reports the cancel.
        Activity.getExecutionContext().heartbeat("rollout under way");
        Thread.sleep(50);
      }
      throw new IllegalStateException("the restart was never cancelled");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting", e);
    } finally {
      held.end();
    }
  }

  @Override
  public void publishKeyring(KeyringSpec keyring) {
    real.publishKeyring(keyring);
    held.compensating();
  }

  @Override
  public KeyringSpec readKeyring(DeploymentRequest request) {
    return real.readKeyring(request);
  }

  @Override
  public RestartOutcome undoRestart(RestartRequest request) {
    return real.undoRestart(request);
  }
}
