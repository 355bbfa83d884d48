package io.breakglass.api.cli;

import io.breakglass.activities.backup.PgTools;
import io.breakglass.activities.config.DatabaseDumpConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.api.WorkerConfiguration;
import io.breakglass.worker.TemporalConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check} flags in a configuration that loads and validates but would run a rotation
 * without a safeguard the runbook relies on. Each finding names the setting and what it costs.
 */
final class ConfigurationFindings {

  private ConfigurationFindings() {}

  /** A worker's findings: its rotation settings' and a local store in production. */
  static List<String> ofWorker(WorkerConfiguration worker) {
    List<String> findings = new ArrayList<>(of(worker.getRotation()));
    localStoreInProduction(worker.getTemporal(), worker.getRotation().secretStore())
        .ifPresent(findings::add);
    return findings;
  }

  /** The API's findings: a local store in production. */
  static List<String> ofApi(BreakglassConfiguration api) {
    return localStoreInProduction(api.getTemporal(), api.getRotation().secretStore()).stream()
        .toList();
  }

  /**
   * A local secret store in a configuration that looks like production: one whose Temporal target
   * is not on this machine (not {@code localhost}, {@code 127.x.x.x} or {@code [::1]}). The store
   * is a file on one host, so pods that keep secrets there are tied to one volume.
   */
  static Optional<String> localStoreInProduction(
      TemporalConfig temporal, LocalSecretStoreConfig store) {
    if (store == null || temporal == null || isLoopback(temporal.target())) {
      return Optional.empty();
    }
    return Optional.of(
        "rotation.secretStore is a local store file ("
            + store.path()
            + ") while Temporal is at "
            + temporal.target()
            + ": the local store is for development on one host; in production keep every secret"
            + " in AWS Secrets Manager (store: AWS_SECRETS_MANAGER) or Vault (store: VAULT) and"
            + " remove secretStore");
  }

  private static boolean isLoopback(String target) {
    if (target == null) {
      return true;
    }
    String host = target.startsWith("[") ? target.substring(1, target.indexOf(']')) : target;
    host =
        host.contains(":") && !target.startsWith("[") ? host.substring(0, host.indexOf(':')) : host;
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  static List<String> of(RotationSettings rotation) {
    List<String> findings = new ArrayList<>();
    if (rotation.metricWatch() == null) {
      findings.add(
          "rotation.metricWatch is not configured: METRIC_WATCH would be skipped, so nothing watches the"
              + " service's metrics and logs before the old versions are revoked");
    }
    if (rotation.approvals() != null && rotation.approvals().allowUnsigned()) {
      findings.add(
          "rotation.approvals.allowUnsigned is true: anyone who can signal the workflow can start or"
              + " approve under any name; for development, demos and test beds only");
    }
    for (SecretConfig secret : rotation.secrets()) {
      if (rotation.smokeChecksCovering(secret.name()).isEmpty()
          && secret.noSmokeCheckReason() == null) {
        findings.add(
            "rotation.secrets "
                + secret.name()
                + ": no smoke check covers it and smoke.allowNoChecks is"
                + " not set, so PLAN refuses to rotate it");
      }
    }
    DatabaseDumpConfig dump = rotation.backups().databaseDump();
    if (dump != null && PgTools.find(dump).isEmpty()) {
      findings.add(
          "rotation.backups.databaseDump is configured but "
              + PgTools.missing(dump)
              + ": BACKUP would"
              + " back up the protected tables only and say so in the timeline");
    }
    return findings;
  }
}
