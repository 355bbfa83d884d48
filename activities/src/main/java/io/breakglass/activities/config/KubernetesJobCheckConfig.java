package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;

/**
 * A smoke check of kind {@code kubernetes-job}: a Job that runs {@code command} in {@code image}
 * (the maintenance container) in {@code namespace}, once, without retries. It passes when its pod
 * exits with 0 before {@code timeout}. The exit code and the last {@code tailLines} log lines are
 * recorded (bounded and redacted as for a command check); the Job and its pods are deleted
 * afterwards, whatever the outcome. The Job is given no secret by Breakglass.
 *
 * @param namespace where the Job runs
 * @param image the container image
 * @param command the container's command and arguments
 * @param serviceAccount the pod's service account (default: the namespace's default)
 * @param timeout how long the Job may take (default 10 minutes)
 * @param tailLines how many of the last log lines are recorded (default 20, at most 200)
 */
public record KubernetesJobCheckConfig(
    @NotBlank String namespace,
    @NotBlank String image,
    List<String> command,
    String serviceAccount,
    Duration timeout,
    Integer tailLines) {

  public KubernetesJobCheckConfig {
    if (namespace == null || namespace.isBlank() || image == null || image.isBlank()) {
      throw new IllegalArgumentException("a kubernetes-job check needs a namespace and an image");
    }
    command = command == null ? List.of() : List.copyOf(command);
    timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
    tailLines = tailLines == null ? 20 : tailLines;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a kubernetes-job check's timeout must be positive");
    }
    if (tailLines < 0 || tailLines > CommandCheckConfig.MAX_TAIL_LINES) {
      throw new IllegalArgumentException(
          "a kubernetes-job check's tailLines must be 0 to " + CommandCheckConfig.MAX_TAIL_LINES);
    }
  }
}
