package io.breakglass.activities.logscan;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.deploy.kubernetes.PodLogs;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The log scan's sources as configured: its files, and the containers of the pods that the named
 * Kubernetes deployments run at the moment of the scan.
 */
public final class ScannedLogs implements Supplier<List<LogSource>> {

  private final List<LogSource> files;
  private final List<PodLogs> pods;

  /**
   * @param kubernetes the client for the deployments' pods; null when no deployment is on
   *     Kubernetes
   * @throws IllegalArgumentException when the scan names a deployment that is not a configured
   *     KUBERNETES deployment
   */
  public ScannedLogs(RotationSettings settings, KubernetesClient kubernetes) {
    this.files = files(settings.metricWatch());
    LogScanConfig logScan =
        settings.metricWatch() == null ? null : settings.metricWatch().logScan();
    this.pods = new ArrayList<>();
    for (String name : logScan == null ? List.<String>of() : logScan.deployments()) {
      DeploymentConfig deployment =
          settings.deployments().stream()
              .filter(d -> d.name().equals(name) && d.target() == DeploymentTargetType.KUBERNETES)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "logScan: deployment "
                              + name
                              + " is not a configured KUBERNETES deployment"));
      String namespace =
          deployment.kubernetes().namespace() == null
              ? kubernetes.getNamespace()
              : deployment.kubernetes().namespace();
      pods.add(new PodLogs(kubernetes, namespace, deployment.kubernetes().deployment()));
    }
  }

  /** The configured log files as sources (none without a metric watch or log scan). */
  public static List<LogSource> files(MetricWatchConfig config) {
    if (config == null || config.logScan() == null) {
      return List.of();
    }
    return config.logScan().files().stream().<LogSource>map(FileLogSource::new).toList();
  }

  @Override
  public List<LogSource> get() {
    List<LogSource> sources = new ArrayList<>(files);
    pods.forEach(deployment -> sources.addAll(deployment.sources()));
    return sources;
  }
}
