package io.breakglass.api.cli;

import io.breakglass.activities.backup.PgTools;
import io.breakglass.activities.config.DatabaseDumpConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code check} flags in a configuration that loads and validates but would run a rotation
 * without a safeguard the runbook relies on. Each finding names the setting and what it costs.
 */
final class ConfigurationFindings {

  private ConfigurationFindings() {}

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
