package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.activities.backup.BackupActivitiesImpl;
import io.breakglass.activities.backup.BackupKeys;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.testing.LocalS3;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.S3Artifacts;
import io.breakglass.activities.testing.S3Requests;
import io.breakglass.activities.testing.S3Requests.Request;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.workflows.activities.BackupActivities;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import io.breakglass.workflows.activities.BackupActivities.RestoreRequest;
import io.breakglass.workflows.messages.values.SecretKind;
import io.breakglass.workflows.messages.values.ShardRange;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * deploy/iam/breakglass-policy.json allows exactly the S3 actions the adapters call, on exactly the
 * bucket prefixes deploy/config/worker.yml configures: every adapter path runs against S3 on
 * loopback under those names, each request is recorded with the IAM action that authorizes it, and
 * the policy's S3 statements are held against the record, so neither can drift.
 */
class S3LeastPrivilegeTest {

  private static final Path POLICY = Path.of("..", "deploy", "iam", "breakglass-policy.json");
  private static final Path EXAMPLE = Path.of("..", "deploy", "config", "worker.yml");
  private static final String S3_STATEMENTS = "S3ArtifactsAndBackups";

  @TempDir Path folder;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private final KeyId v2 = keyring.add("artifact-encryption-key", "v2");

  @Test
  void thePolicysS3Statements_allowExactlyTheActionsTheAdaptersCall_onTheConfiguredPrefixesOnly()
      throws Exception {
    JsonNode example =
        new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.toFile()).get("rotation");
    S3Location artifacts = location(s3DataSet(example).get("s3"));
    S3Location backups = location(example.get("backups").get("s3"));
    List<JsonNode> statements = s3Statements();

    List<Request> calls = adapterCalls(artifacts, backups);

    assertThat(actions(calls)).isEqualTo(policyActions(statements));
    for (Request call : calls) {
      assertThat(allows(statements, call)).as("the policy allows %s", call).isTrue();
      assertThat(within(call, List.of(artifacts, backups)))
          .as("%s is within a configured location", call)
          .isTrue();
    }
    for (JsonNode statement : statements) {
      for (JsonNode resource : statement.get("Resource")) {
        assertThat(resourceWithin(resource.asText(), statement, List.of(artifacts, backups)))
            .as("resource %s is within a configured location", resource.asText())
            .isTrue();
      }
    }
  }

  @Test
  void negativeControl_aCallOutsideTheConfiguredPrefix_isNotAllowedByThePolicy() throws Exception {
    List<JsonNode> statements = s3Statements();

    assertThat(
            allows(
                statements, new Request("GetObject", "clinic-chart-artifacts", "other/chart.pdf")))
        .isFalse();
    assertThat(allows(statements, new Request("ListObjectsV2", "clinic-chart-artifacts", "other/")))
        .isFalse();
    assertThat(
            allows(
                statements,
                new Request("DeleteObject", "clinic-chart-artifacts", "charts/chart.pdf")))
        .isFalse();
    assertThat(
            allows(
                statements, new Request("GetObject", "clinic-chart-artifacts", "charts/chart.pdf")))
        .isTrue();
  }

  /**
   * Every S3 path of the adapters: re-encryption (small, large, a lost race), scan, backup,
   * restore.
   */
  private List<Request> adapterCalls(S3Location artifactsAt, S3Location backupsAt)
      throws Exception {
    List<Request> calls = new ArrayList<>();
    try (LocalS3 s3 = LocalS3.start(folder);
        S3Client fixture = s3.client()) {
      s3.createBucket(artifactsAt.bucket());
      s3.createBucket(backupsAt.bucket());
      S3Artifacts artifacts =
          new S3Artifacts(fixture, keyring, artifactsAt.bucket(), artifactsAt.prefix());
      artifacts.seed(12, v1);
      RotationSettings settings =
          new RotationSettings(
              new LocalSecretStoreConfig(folder.resolve("unused"), null, null),
              List.of(new SecretConfig(v1.secret(), SecretKind.DATA_KEY)),
              List.of(artifacts.config(v1.secret(), 5, 4)),
              null,
              null,
              new BackupConfig(folder.resolve("spool"), 3, backupsAt),
              null,
              s3.aws());
      ProtectedDataSets dataSets = new ProtectedDataSets(settings, Map.of());
      ItemStore store = dataSets.get("chart-objects").store();
      BackupKeys backupKeys = BackupKeys.of(keyring.add("breakglass-backup-key", "b1"), keyring);
      TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
      try {
        environment.registerActivitiesImplementations(
            new BackupActivitiesImpl(
                settings.backups(), dataSets, Map.of(), () -> keyring, () -> backupKeys, s3.aws()));
        BackupActivities backup =
            environment.newActivityStub(
                BackupActivities.class,
                ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(2))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                    .build());
        S3Requests.ALL.clear();
        backup.backup(new BackupRequest("r1", "chart-objects"));
        calls.addAll(S3Requests.ALL.requests());

        artifacts.put("patient-00/chart-0000.pdf", artifacts.stored("patient-00/chart-0002.pdf"));
        artifacts.writeLarge("patient-01/scan-0000.dcm", 11L << 20, v1);
        S3Requests.ALL.clear();
        backup.restoreUndecryptable(new RestoreRequest("r1", "chart-objects", "r1/chart-objects"));
        ItemStore racing =
            new DelegatingStore(store) {
              @Override
              public ItemSession open(ShardRange shard, String afterKey) {
                return new RacingLargeSession(
                    (LargeItemSession) super.open(shard, afterKey),
                    () -> artifacts.writeLarge("patient-01/scan-0000.dcm", 6L << 20, v2));
              }
            };
        new ShardReencryptor(racing, new BinaryEnvelopeCodec(), keyring, 4)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});
        new DataSetScanner("chart-objects", store, new BinaryEnvelopeCodec(), keyring)
            .scan(10, n -> {});
        calls.addAll(S3Requests.ALL.requests());
      } finally {
        environment.close();
      }
    }
    assertThat(calls)
        .extracting(Request::operation)
        .contains("AbortMultipartUpload", "CompleteMultipartUpload");
    return calls;
  }

  private static JsonNode s3DataSet(JsonNode rotation) {
    for (JsonNode dataSet : rotation.get("dataSets")) {
      if (dataSet.get("type").asText().equals("S3_OBJECTS")) {
        return dataSet;
      }
    }
    throw new AssertionError("the deploy example configures no S3_OBJECTS data set");
  }

  private static S3Location location(JsonNode node) {
    return new S3Location(node.get("bucket").asText(), node.path("prefix").asText(""), 0);
  }

  private static List<JsonNode> s3Statements() throws Exception {
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode statement : new ObjectMapper().readTree(POLICY.toFile()).get("Statement")) {
      if (statement.path("Sid").asText().startsWith(S3_STATEMENTS)) {
        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
        statements.add(statement);
      }
    }
    assertThat(statements).isNotEmpty();
    return statements;
  }

  private static Set<String> actions(List<Request> calls) {
    Set<String> actions = new TreeSet<>();
    calls.forEach(call -> actions.add(S3Requests.action(call)));
    return actions;
  }

  private static Set<String> policyActions(List<JsonNode> statements) {
    Set<String> actions = new TreeSet<>();
    statements.forEach(
        statement -> statement.get("Action").forEach(action -> actions.add(action.asText())));
    return actions;
  }

  /** Whether one of the statements allows {@code call}: its action, resource and condition. */
  private static boolean allows(List<JsonNode> statements, Request call) {
    String action = S3Requests.action(call);
    boolean listing = action.equals("s3:ListBucket");
    String arn = "arn:aws:s3:::" + call.bucket() + (listing ? "" : "/" + call.key());
    for (JsonNode statement : statements) {
      if (contains(statement.get("Action"), action)
          && matchesAny(statement.get("Resource"), arn)
          && (!listing
              || matchesAny(
                  statement.path("Condition").path("StringLike").path("s3:prefix"), call.key()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(Request call, List<S3Location> locations) {
    return locations.stream()
        .anyMatch(
            l ->
                l.bucket().equals(call.bucket())
                    && call.key() != null
                    && call.key().startsWith(l.prefix()));
  }

  /**
   * An object resource must be {@code bucket/prefix*}; a bucket resource must carry a prefix
   * condition.
   */
  private static boolean resourceWithin(
      String resource, JsonNode statement, List<S3Location> locations) {
    for (S3Location location : locations) {
      String bucket = "arn:aws:s3:::" + location.bucket();
      if (resource.equals(bucket + "/" + location.prefix() + "*")) {
        return true;
      }
      if (resource.equals(bucket)) {
        JsonNode prefixes = statement.path("Condition").path("StringLike").path("s3:prefix");
        boolean scoped = prefixes.size() > 0;
        for (JsonNode prefix : prefixes) {
          scoped &= prefix.asText().equals(location.prefix() + "*");
        }
        if (scoped) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean contains(JsonNode values, String value) {
    for (JsonNode node : values) {
      if (node.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** IAM's StringLike and resource matching: '*' any run of characters, '?' one character. */
  private static boolean matchesAny(JsonNode patterns, String value) {
    for (JsonNode pattern : patterns) {
      String regex =
          ("\\Q" + pattern.asText() + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
      if (value != null && Pattern.matches(regex, value)) {
        return true;
      }
    }
    return false;
  }
}
