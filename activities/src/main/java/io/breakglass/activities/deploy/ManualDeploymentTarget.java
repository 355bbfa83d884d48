package io.breakglass.activities.deploy;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartStatus;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload an operator restarts by hand: the keyring goes to a file the workload reads, and the
 * restart is a request to the operator, who reports back with the {@code confirmRestart} signal.
 */
public final class ManualDeploymentTarget extends KeyringFileTarget {

  private static final Logger log = LoggerFactory.getLogger(ManualDeploymentTarget.class);

  public ManualDeploymentTarget(DeploymentConfig config) {
    super(config.name(), keyringFile(config));
  }

  private static Path keyringFile(DeploymentConfig config) {
    if (config.keyringFile() == null) {
      throw new IllegalArgumentException(
          "deployment " + config.name() + ": a manual target needs keyringFile");
    }
    return config.keyringFile();
  }

  @Override
  public RestartOutcome restart(String rotationId, String reason) {
    String ask =
        "restart "
            + name
            + " so it reloads its keyring ("
            + reason
            + "), then confirm: signal"
            + " confirmRestart {\"deployment\":\""
            + name
            + "\",\"operator\":\"<you>\",\"ready\":true}"
            + " to workflow rotation-"
            + rotationId;
    log.warn("operator action needed: {}", ask);
    return new RestartOutcome(name, RestartStatus.AWAITING_OPERATOR, ask);
  }
}
