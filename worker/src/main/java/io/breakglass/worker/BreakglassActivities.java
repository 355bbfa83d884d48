package io.breakglass.worker;

import io.breakglass.activities.age.SecretAgeActivitiesImpl;
import io.breakglass.activities.age.SecretAges;
import io.breakglass.activities.approval.ApprovalActivitiesImpl;
import io.breakglass.activities.audit.AuditActivitiesImpl;
import io.breakglass.activities.backup.BackupActivitiesImpl;
import io.breakglass.activities.backup.StoreBackupKeys;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SmokeCheckKind;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.deploy.DeploymentActivitiesImpl;
import io.breakglass.activities.lock.SecretLockActivitiesImpl;
import io.breakglass.activities.logscan.ScannedLogs;
import io.breakglass.activities.metrics.MetricWatchActivitiesImpl;
import io.breakglass.activities.notify.NotificationActivitiesImpl;
import io.breakglass.activities.plan.PlanActivitiesImpl;
import io.breakglass.activities.provider.ProviderKeyActivitiesImpl;
import io.breakglass.activities.recovery.RecoveryActivitiesImpl;
import io.breakglass.activities.reencrypt.ReencryptActivitiesImpl;
import io.breakglass.activities.schedule.RoutineScheduleActivitiesImpl;
import io.breakglass.activities.secrets.SecretActivitiesImpl;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.tracker.IncidentTrackerActivitiesImpl;
import io.breakglass.activities.verify.VerificationActivitiesImpl;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Every activity implementation a worker registers, built from the rotation settings and the
 * resources they name. One shared, thread-safe instance of each.
 *
 * @param store the secret store
 * @param dataSets the protected data sets
 * @param activities the activity implementations, in the order a worker registers them
 * @param secretAges the ages of the secrets' CURRENT versions, for the worker's metrics
 */
public record BreakglassActivities(
    SecretStore store, ProtectedDataSets dataSets, List<Object> activities, SecretAges secretAges) {

  /** Why METRIC_WATCH is skipped when the settings have no {@code metricWatch}. */
  static final String NO_METRICS_SOURCE = "no Prometheus metrics source is configured";

  /**
   * @param settings what may be rotated and how
   * @param store the secret store
   * @param databases the protected data sets' databases, by the names data sets use
   * @param breakglass Breakglass's own database (timeline, audit, secret locks), already migrated
   * @param identity this worker's identity, reported in shard results
   */
  public static BreakglassActivities create(
      RotationSettings settings,
      SecretStore store,
      Map<String, DataSource> databases,
      Jdbi breakglass,
      String identity) {
    return create(settings, store, databases, breakglass, identity, System::getenv);
  }

  /**
   * {@link #create(RotationSettings, SecretStore, Map, Jdbi, String)} with the deployment targets'
   * tokens read from {@code environment}.
   */
  public static BreakglassActivities create(
      RotationSettings settings,
      SecretStore store,
      Map<String, DataSource> databases,
      Jdbi breakglass,
      String identity,
      Function<String, String> environment) {
    StoreBackupKeys.ensure(store);
    ProtectedDataSets dataSets = new ProtectedDataSets(settings, databases);
    Clock clock = Clock.systemUTC();
    KubernetesClient kubernetes =
        usesKubernetes(settings) ? new KubernetesClientBuilder().build() : null;
    SecretAges secretAges = new SecretAges(settings, store, clock);
    List<Object> activities =
        List.of(
            new PlanActivitiesImpl(settings, store, dataSets, NO_METRICS_SOURCE),
            new NotificationActivitiesImpl(settings.notifications()),
            new IncidentTrackerActivitiesImpl(settings.notifications().tracker(), environment),
            new BackupActivitiesImpl(
                settings.backups(),
                dataSets,
                databases,
                () -> new StoreKeyring(store),
                () -> new StoreBackupKeys(store),
                settings.aws()),
            new SecretActivitiesImpl(settings, store, clock),
            new DeploymentActivitiesImpl(
                settings,
                store,
                DeploymentActivitiesImpl.targets(settings, store, kubernetes, environment)),
            new ReencryptActivitiesImpl(dataSets, store, identity),
            new VerificationActivitiesImpl(
                settings, dataSets, store, kubernetes, environment, Duration.ofSeconds(2)),
            new MetricWatchActivitiesImpl(
                settings.metricWatch(), new ScannedLogs(settings, kubernetes)),
            new AuditActivitiesImpl(breakglass),
            new RecoveryActivitiesImpl(settings, store, breakglass),
            new SecretLockActivitiesImpl(breakglass),
            new RoutineScheduleActivitiesImpl(),
            new ApprovalActivitiesImpl(settings.approvals()),
            new ProviderKeyActivitiesImpl(settings, store, environment),
            new SecretAgeActivitiesImpl(settings, secretAges));
    return new BreakglassActivities(store, dataSets, activities, secretAges);
  }

  /**
   * Whether a deployment is on Kubernetes or a smoke check runs a Job there. They share one client
   * for the life of the worker, configured in-cluster or from the kubeconfig.
   */
  private static boolean usesKubernetes(RotationSettings settings) {
    return settings.deployments().stream()
            .anyMatch(deployment -> deployment.target() == DeploymentTargetType.KUBERNETES)
        || settings.smokeChecks().stream()
            .anyMatch(check -> check.kind() == SmokeCheckKind.KUBERNETES_JOB);
  }
}
