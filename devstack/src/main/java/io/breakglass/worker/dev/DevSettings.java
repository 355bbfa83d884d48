package io.breakglass.worker.dev;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.SecretKind;
import java.time.Duration;
import java.util.List;

/**
 * The embedded defaults: the runbook's four secrets (each explicitly allowed to rotate without a
 * smoke check, and saying why), the two protected data sets of the demo application, and one {@code
 * backend} deployment restarted by hand.
 */
public final class DevSettings {

  public static final String ARTIFACT_KEY = "artifact-encryption-key";
  public static final String PAYLOAD_KEY = "ai-payload-encryption-key";
  public static final String JWT = "jwt";
  public static final String OPENAI = "openai";

  /** The protected application's database in the embedded PostgreSQL. */
  public static final String APP_DATABASE = "clinic";

  /** Breakglass's own database (timeline, audit) in the embedded PostgreSQL. */
  public static final String BREAKGLASS_DATABASE = "breakglass";

  public static final String DEPLOYMENT = "backend";

  /**
   * How long dev and the demo let the deployment run stable on the new versions before the revoke
   * gate opens: shortened from the production default of 15 minutes so a demo ends in minutes.
   */
  public static final Duration MONITORING_INTERVAL = Duration.ofSeconds(10);

  /**
   * {@code dev} and {@code demo --minimal} run no service, so no smoke check can cover a secret; in
   * the demo's whole runbook the sample service's checks cover all but {@value #OPENAI}.
   */
  private static final SecretSmokeConfig NO_SERVICE =
      SecretSmokeConfig.allowNoChecks(
          "the embedded stack runs no service to check; demo without --minimal adds one");

  private static final SecretSmokeConfig NO_PROVIDER =
      SecretSmokeConfig.allowNoChecks(
          "the embedded stack has no API provider to call with the key");

  private DevSettings() {}

  public static RotationSettings create(DevLayout layout) {
    return new RotationSettings(
        new LocalSecretStoreConfig(layout.secretStore(), null, layout.masterKey()),
        List.of(
            new SecretConfig(ARTIFACT_KEY, SecretKind.DATA_KEY).withSmoke(NO_SERVICE),
            new SecretConfig(PAYLOAD_KEY, SecretKind.DATA_KEY).withSmoke(NO_SERVICE),
            new SecretConfig(JWT, SecretKind.SIGNING_SECRET).withSmoke(NO_SERVICE),
            new SecretConfig(OPENAI, SecretKind.API_KEY).withSmoke(NO_PROVIDER)),
        List.of(
            new DataSetConfig(
                "ai-snapshots",
                PAYLOAD_KEY,
                DataSetType.POSTGRES_COLUMN,
                APP_DATABASE,
                "ai_json_snapshots",
                "id",
                "payload",
                EnvelopeFormat.JSON,
                null,
                AssociatedDataMode.ROW_ID,
                5_000,
                500,
                2,
                0,
                null),
            new DataSetConfig(
                "chart-artifacts",
                ARTIFACT_KEY,
                DataSetType.ARTIFACT_DIRECTORY,
                null,
                null,
                null,
                null,
                null,
                layout.artifacts(),
                AssociatedDataMode.OBJECT_PATH,
                100,
                25,
                2,
                0,
                null)),
        List.of(
            new DeploymentConfig(
                DEPLOYMENT,
                DeploymentTargetType.MANUAL,
                List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT, OPENAI),
                layout.keyring(DEPLOYMENT))),
        PolicyConfig.defaults().withMonitoringInterval(MONITORING_INTERVAL),
        new BackupConfig(layout.backups(), 20),
        NotificationConfig.logOnly());
  }
}
