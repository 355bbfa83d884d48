package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.OpenAiConfig;
import io.breakglass.activities.config.OperatorValueCheck;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.FakeOpenAi;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.MetricsConfig;
import io.breakglass.worker.WorkerMetrics;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.activities.SecretAgeActivities;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.SecretKind;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole rotation of the {@code openai} API key on the embedded stack, against a loopback fake of
 * OpenAI: the new key staged as the pending-value endpoint stages it, checked at {@code /v1/models}
 * before it becomes a version and again in SMOKE_TEST, the replaced key deleted through the Admin
 * API after REVOKE (or confirmed by hand, by key id, without an admin key), and the secret's age
 * gauges read from the worker's Prometheus scrape before and after.
 */
class OpenAiRotationTest {

  private static final String SECRET = "openai";
  private static final String PROJECT = "proj_abc";
  private static final String ADMIN_ENV = "OPENAI_ADMIN_KEY";
  private static final String ADMIN = "sk-admin-0123456789abcdefghij";
  private static final String OLD = "sk-proj-OLDoldOLDoldOLDold0001";
  private static final String NEW = "sk-proj-NEWnewNEWnewNEWnew0002";
  private static final Duration OLD_AGE = Duration.ofDays(120);

  @RegisterExtension final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  private final FakeOpenAi openai =
      new FakeOpenAi(PROJECT, ADMIN, 2)
          .issue("key_other", "sk-proj-someoneelse0000000000a1")
          .issue("key_old", OLD)
          .issue("key_new", NEW);
  private final List<AutoCloseable> opened = new ArrayList<>();
  private SecretStore store;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
    openai.close();
  }

  @Test
  void withAnAdminKey_theWholeRotationRuns_theOldKeyIsDeletedAtOpenAi_andTheAgeGaugeResets(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    BreakglassActivities activities = activities(ADMIN_ENV);
    URI scrape = metrics(activities);
    start(env, worker, activities);
    assertThat(gauge(scrape, "breakglass_secret_age_seconds"))
        .isGreaterThanOrEqualTo(OLD_AGE.toSeconds());
    assertThat(gauge(scrape, "breakglass_secret_max_age_seconds"))
        .isEqualTo(Duration.ofDays(90).toSeconds());

    RotationStatus end = rotate(client, options, "openai-1", null);

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    // The fake saw keys only as bearers: the new one at /v1/models, the admin key at the Admin API.
    assertThat(openai.bearers()).containsOnly(NEW, ADMIN);
    assertThat(openai.has("key_old")).isFalse();
    assertThat(openai.has("key_new")).isTrue();
    assertThat(modelsStatus(OLD)).isEqualTo(401);
    assertThat(modelsStatus(NEW)).isEqualTo(200);
    assertThat(openai.requests())
        .contains("DELETE /v1/organization/projects/proj_abc/api_keys/key_old")
        .filteredOn(r -> r.equals("GET /v1/models"))
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(details(end, TimelineOutcome.SUCCEEDED))
        .anySatisfy(
            d ->
                assertThat(d)
                    .contains(
                        "replaced key key_old of openai", "deleted at OpenAI in project proj_abc"))
        .anySatisfy(d -> assertThat(d).contains("age of openai reset"));
    SecretVersion current = store.describe(SECRET).labelled(Label.CURRENT).orElseThrow();
    assertThat(new String(store.material(SECRET, current.versionId()), StandardCharsets.UTF_8))
        .isEqualTo(NEW);
    assertThat(store.describe(SECRET).version("v-initial").orElseThrow().status())
        .isEqualTo(VersionStatus.REVOKED);
    assertThat(gauge(scrape, "breakglass_secret_age_seconds")).isBetween(0.0, 120.0);
    assertNoKeyValueLeaked(end);
  }

  /**
   * Negative control: without an admin key nothing is deleted; a human confirms, by key id only.
   */
  @Test
  void withoutAnAdminKey_theRotationWaitsForAConfirmationNamingTheKeyId_neverItsValue(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    BreakglassActivities activities = activities(null);
    start(env, worker, activities);
    RotationWorkflow rotation = startRotation(client, options, "openai-2");
    try (Operator operator =
        new Operator(client, "openai-2")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      RotationStatus waiting =
          operator.awaitStatus(
              s ->
                  s.pendingDecision() != null
                      && s.pendingDecision().allowed().contains(ResumeAction.CONFIRM_REVOKED),
              Duration.ofMinutes(2));
      assertThat(waiting.state()).isEqualTo(RotationState.AWAITING_DECISION);
      assertThat(waiting.pendingDecision().allowed()).containsExactly(ResumeAction.CONFIRM_REVOKED);
      assertThat(waiting.pendingDecision().reason())
          .contains("no admin key", "project proj_abc", "key id");
      assertThat(openai.has("key_old")).isTrue();
      assertThat(openai.requests()).noneMatch(r -> r.contains("/v1/organization/"));

      rotation.resume(new Resume("dave", ResumeAction.CONFIRM_REVOKED, "deleted " + OLD));
      rotation.resume(
          new Resume("dave", ResumeAction.CONFIRM_REVOKED, "deleted it in the dashboard"));
      // The second was taken as an answer, then refused; the question is asked again.
      operator.awaitStatus(
          s -> s.refusals().size() >= 2 && s.pendingDecision() != null, Duration.ofSeconds(30));
      rotation.resume(
          new Resume("dave", ResumeAction.CONFIRM_REVOKED, "deleted key_old in the dashboard"));
      RotationStatus end = operator.awaitEnd(Duration.ofMinutes(1));

      assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
      assertThat(end.refusals())
          .extracting(r -> r.reason())
          .anySatisfy(r -> assertThat(r).contains("never the key itself"))
          .anySatisfy(r -> assertThat(r).contains("must name the key id"));
      assertThat(details(end, TimelineOutcome.CONFIRMED))
          .anySatisfy(
              d ->
                  assertThat(d)
                      .contains("replaced key key_old of openai", "by hand, confirmed by dave"));
      assertNoKeyValueLeaked(end);
    }
  }

  /**
   * Negative control of the age check: a CURRENT version that kept its old age is not passed over.
   */
  @Test
  void anAgeThatDidNotReset_waitsForAHuman_andTheAcceptedFindingIsRecorded(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    BreakglassActivities activities = activities(ADMIN_ENV);
    SecretAgeActivities stale =
        new SecretAgeActivities() {
          @Override
          public SecretAge secretAge(SecretAgeRequest request) {
            return new SecretAge(
                request.secret(),
                "v-initial",
                Instant.now().minus(OLD_AGE),
                OLD_AGE.toSeconds(),
                Duration.ofDays(90).toSeconds());
          }
        };
    List<Object> substituted = new ArrayList<>(activities.activities());
    substituted.removeIf(a -> a instanceof SecretAgeActivities);
    substituted.add(stale);
    worker.registerActivitiesImplementations(substituted.toArray());
    env.start();

    RotationStatus end = rotate(client, options, "openai-3", ResumeAction.ACCEPT);

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(details(end, TimelineOutcome.FAILED))
        .anySatisfy(d -> assertThat(d).contains("age of openai NOT reset", "not this rotation's"));
    assertThat(details(end, TimelineOutcome.APPROVED))
        .anySatisfy(d -> assertThat(d).contains("age of openai not reset: accepted by olivia"));
  }

  // ---- the embedded stack ---------------------------------------------------------------------

  private BreakglassActivities activities(String adminKeyEnv) {
    store = LocalStores.in(root);
    store.createPending(
        SECRET,
        "v-initial",
        OLD.getBytes(StandardCharsets.UTF_8),
        Map.of("rotatedAt", Instant.now().minus(OLD_AGE).toString(), "rotationId", "initial"));
    store.moveCurrent(SECRET, "v-initial");
    // What POST /rotations/secrets/openai/pending-value does with the operator's new key.
    store.stage(SECRET, NEW.getBytes(StandardCharsets.UTF_8));
    SecretConfig secret =
        new SecretConfig(
                SECRET,
                SecretKind.API_KEY,
                null,
                null,
                new OperatorValueCheck(
                    URI.create(openai.baseUrl() + "/v1/models"), null, null, null, 0))
            .withOpenAi(new OpenAiConfig(PROJECT, adminKeyEnv, openai.baseUrl()));
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(
                root.resolve("secrets.store"), null, root.resolve("master.key")),
            List.of(secret),
            List.of(),
            List.of(),
            PolicyConfig.defaults().withMonitoringInterval(Testbed.MONITORING_INTERVAL),
            new BackupConfig(root.resolve("backups"), 1, null),
            NotificationConfig.logOnly());
    TestPostgres.Database breakglass = TestPostgres.newDatabase();
    BreakglassSchema.migrate(breakglass.dataSource());
    BreakglassActivities activities =
        BreakglassActivities.create(
            settings,
            store,
            Map.of(),
            breakglass.jdbi(),
            "openai-worker",
            Map.of(ADMIN_ENV, ADMIN)::get);
    opened.add(activities.secretAges());
    return activities;
  }

  private URI metrics(BreakglassActivities activities) {
    WorkerMetrics metrics = WorkerMetrics.start(new MetricsConfig("127.0.0.1", 0));
    opened.add(metrics);
    activities.secretAges().bindTo(metrics.registry());
    activities.secretAges().refreshEvery(Duration.ofHours(1));
    return metrics.endpoint();
  }

  private static void start(
      TestWorkflowEnvironment env, Worker worker, BreakglassActivities activities) {
    worker.registerActivitiesImplementations(activities.activities().toArray());
    env.start();
  }

  private static RotationWorkflow startRotation(
      WorkflowClient client, WorkflowOptions options, String rotationId) {
    RotationTests.start(client, options, RotationTests.emergency(rotationId, SECRET));
    return client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId(rotationId));
  }

  private static RotationStatus rotate(
      WorkflowClient client, WorkflowOptions options, String rotationId, ResumeAction decision)
      throws Exception {
    startRotation(client, options, rotationId);
    Operator operator =
        new Operator(client, rotationId)
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol");
    if (decision != null) {
      operator.decides(decision);
    }
    try (Operator running = operator.start()) {
      return running.awaitEnd(Duration.ofMinutes(2));
    }
  }

  // ---- what the tests read --------------------------------------------------------------------

  /** The value of {@code name}{secret="openai"} in the worker's Prometheus text. */
  private static double gauge(URI scrape, String name) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(scrape).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher line = Pattern.compile("(?m)^" + name + "\\{secret=\"openai\"} (\\S+)$").matcher(text);
    assertThat(line.find()).as(name + " in the scrape").isTrue();
    return Double.parseDouble(line.group(1));
  }

  private int modelsStatus(String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(openai.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static List<String> details(RotationStatus status, TimelineOutcome outcome) {
    return status.timeline().stream()
        .filter(e -> e.outcome() == outcome)
        .map(TimelineEntry::detail)
        .toList();
  }

  /** No key value in the timeline, the refusals, or what the fake logged beside the bearers. */
  private void assertNoKeyValueLeaked(RotationStatus end) {
    String seen =
        end.timeline()
            + "\n"
            + end.refusals()
            + "\n"
            + end.pendingDecision()
            + "\n"
            + String.join("\n", openai.requests());
    assertThat(seen).doesNotContain(OLD, NEW, ADMIN);
  }
}
