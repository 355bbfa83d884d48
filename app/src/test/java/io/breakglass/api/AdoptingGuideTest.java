package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.deploy.DeploymentActivitiesImpl;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.activities.testing.DeploymentController;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.api.cli.AdoptCommand;
import io.breakglass.api.cli.ConfigurationCheckCommand;
import io.breakglass.api.cli.VerifyCommand;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.rotation.LegacyApp;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.RotationTests;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationState;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/adopting.md}, followed as a newcomer would: its configuration block, loaded as the
 * jar loads it with only the {@code ${VAR}} values pointing at this test's PostgreSQL, folder,
 * Vault fake and backup folder; the notes application ({@code samples/legacy-app}, Python) writes
 * its notes under a key another tool put into Vault; {@code check}, {@code adopt --dry-run} and
 * {@code adopt} exit as the guide says; a rotation on the test server with the notes pods'
 * environment Secret on Fabric8's mock Kubernetes API completes; {@code verify --expect-current}
 * exits 0 and the application reads every note with the key its pods now get. The negative control:
 * the same notes described in a profile that does not match them fail {@code adopt} with exit 3.
 */
@EnableKubernetesMockClient(crud = true)
class AdoptingGuideTest {

  static final Path GUIDE = Path.of("..", "docs", "adopting.md");
  static final String SECRET = "notes-key";
  static final String VAULT_PATH = "notes/notes-key";
  static final String NAMESPACE = "notes";
  static final String ENV_SECRET = "notes-app-env";
  static final int NOTES = 20;

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  KubernetesMockServer server;
  KubernetesClient kubernetes;

  @TempDir Path root;

  private FakeVault vault;
  private byte[] teamKey;
  private TestPostgres.Database notesDb;
  private TestPostgres.Database breakglassDb;
  private LegacyApp app;
  private Map<String, String> environment;

  /** Step 0 of the guide: the application as it is, its key put into Vault by another tool. */
  @BeforeEach
  void theApplicationAsItIs() throws Exception {
    vault = FakeVault.start();
    teamKey = new byte[32];
    new SecureRandom().nextBytes(teamKey);
    vault.put(
        VAULT_PATH,
        Map.of("key", base64(teamKey))); // vault kv put -mount=secret notes/notes-key key="$KEY"
    notesDb = TestPostgres.newDatabase();
    breakglassDb = TestPostgres.newDatabase();
    BreakglassSchema.migrate(breakglassDb.dataSource());
    Path folder = Files.createDirectories(root.resolve("notes"));
    app =
        new LegacyApp(
            "host=localhost port="
                + TestPostgres.port()
                + " dbname="
                + notesDb.name()
                + " user=postgres",
            "legacy_notes",
            folder);
    LegacyApp.Run written = app.write(NOTES, teamKey);
    assertThat(written.exitCode()).as(written.err()).isZero();
    vault.config(
        root.resolve("vault-token"),
        Map.of()); // writes the token file, as a Vault Agent sink would
    // The only values the guide's file leaves open: where this test's services and folders are.
    environment =
        Map.of(
            "BREAKGLASS_DB_URL", breakglassDb.url(),
            "BREAKGLASS_DB_USER", "postgres",
            "BREAKGLASS_DB_PASSWORD", "",
            "NOTES_DB_URL", notesDb.url(),
            "NOTES_DB_USER", "postgres",
            "NOTES_DB_PASSWORD", "",
            "VAULT_ADDR", vault.address().toString(),
            "VAULT_TOKEN_FILE", root.resolve("vault-token").toString(),
            "NOTES_FOLDER", folder.toString(),
            "BREAKGLASS_BACKUPS", root.resolve("backups").toString());
  }

  @AfterEach
  void stopVault() {
    vault.close();
  }

  @Test
  void
      theGuide_takesTheNotesApplicationFromItsOwnKeyToACompletedRotation_andItReadsEveryNoteAfterwards(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    Path config = Files.writeString(root.resolve("notes-breakglass.yml"), guideConfiguration());

    CommandRun check = run(config, "check");
    assertThat(check.exit())
        .as("step 3: " + check.out() + check.err())
        .isEqualTo(ConfigurationCheckCommand.FINDINGS);
    assertThat(check.out().lines().toList())
        .as("the two findings the guide expects, and no other")
        .satisfiesExactly(
            line -> assertThat(line).startsWith("finding: rotation.metricWatch is not configured"),
            line ->
                assertThat(line).startsWith("finding: rotation.approvals.allowUnsigned is true"));

    CommandRun dryRun = run(config, "adopt", "--dry-run");
    assertThat(dryRun.exit()).as("step 4, --dry-run: " + dryRun.out() + dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains(SECRET + ": version 1 (CURRENT), encoding JSON_FIELD")
        .contains("notes-table: scanning " + NOTES + " item(s)")
        .contains("notes-folder: scanning " + NOTES + " item(s)");
    assertThat(
            dryRun.out().lines().filter(l -> l.strip().equals("20 decrypt with " + SECRET + ":1")))
        .hasSize(2);
    assertThat(vault.customMetadata(VAULT_PATH)).as("the dry run records nothing").isEmpty();

    CommandRun adopt = run(config, "adopt");
    assertThat(adopt.exit()).as("step 4: " + adopt.out() + adopt.err()).isZero();
    assertThat(vault.customMetadata(VAULT_PATH))
        .containsEntry("breakglass.current", "1")
        .containsEntry("version", "1");
    assertThat(vault.currentVersion(VAULT_PATH)).as("adopt writes no version").isEqualTo(1);

    WorkerConfiguration configuration =
        ExampleFiles.load(WorkerConfiguration.class, config, environment);
    RotationSettings settings = withShortStabilityWait(configuration.getRotation());
    SecretStore store = SecretStores.open(settings);
    notesApplicationOnKubernetes();
    AtomicReference<LegacyApp.Run> duringRotation = new AtomicReference<>();
    RotationStatus end;
    try (DeploymentController controller = DeploymentController.healthy(kubernetes, NAMESPACE)) {
      startWorker(env, worker, settings, store);
      RotationTests.start(client, options, RotationTests.emergency("notes-1", SECRET));
      try (Operator operator =
          new Operator(client, "notes-1")
              .approves(GateName.PROCEED, "bob")
              .whenOpen(GateName.REVOKE, () -> duringRotation.set(readAsThePodsDo()))
              .approves(GateName.REVOKE, "carol")
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(2));
      }
    }

    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    assertThat(duringRotation.get().exitCode())
        .as("at the REVOKE gate: " + duringRotation.get().err())
        .isZero();
    Map<String, String> podEnvironment = podEnvironment();
    assertThat(podEnvironment).containsOnlyKeys("LEGACY_APP_KEY");
    byte[] newKey = Base64.getDecoder().decode(podEnvironment.get("LEGACY_APP_KEY"));
    assertThat(newKey).hasSize(32).isNotEqualTo(teamKey);
    assertThat(vault.data(VAULT_PATH, 2))
        .as("the new version, in the form the team wrote")
        .containsEntry("key", base64(newKey));
    assertThat(vault.deleted(VAULT_PATH, 1))
        .as("the adopted version is revoked: soft-deleted")
        .isTrue();

    CommandRun verify = run(config, "verify", "--expect-current");
    assertThat(verify.exit()).as("step 7: " + verify.err()).isZero();
    LegacyApp.Run afterwards = app.read(newKey, null);
    assertThat(afterwards.exitCode()).as(afterwards.err()).isZero();
    assertThat(afterwards.out()).contains("read 20 rows and 20 files; 0 cannot be read");
    assertThat(app.read(teamKey, null).exitCode())
        .as("the old key reads nothing any more")
        .isEqualTo(1);
  }

  @Test
  void
      negativeControl_theSameNotesInAProfileThatDoesNotMatch_failAdoptWithExitThree_andNothingIsRecorded()
          throws Exception {
    String base64Folder = guideConfiguration().replace("encoding: HEX", "encoding: BASE64");
    Path config = Files.writeString(root.resolve("notes-breakglass.yml"), base64Folder);

    CommandRun dryRun = run(config, "adopt", "--dry-run");
    CommandRun adopt = run(config, "adopt");

    assertThat(dryRun.exit()).as(dryRun.out() + dryRun.err()).isEqualTo(3);
    assertThat(adopt.exit()).as(adopt.out() + adopt.err()).isEqualTo(3);
    assertThat(adopt.out())
        .contains("      20 decrypt with " + SECRET + ":1")
        .contains("      20 do not")
        .contains("notes/0001.json: MALFORMED")
        .doesNotContain("take with food");
    assertThat(vault.customMetadata(VAULT_PATH)).as("nothing recorded").isEmpty();
  }

  /** The guide's configuration block, as it is. */
  static String guideConfiguration() throws Exception {
    String guide = Files.readString(GUIDE);
    String start = "```yaml\n# notes-breakglass.yml";
    int from = guide.indexOf(start);
    assertThat(from).as("the guide's configuration block").isNotNegative();
    from += "```yaml\n".length();
    return guide.substring(from, guide.indexOf("```", from));
  }

  /**
   * The one setting the test changes beyond the file's variables, as the rotation tests do: the
   * stability wait before the REVOKE gate (15 minutes by default) is one second.
   */
  private static RotationSettings withShortStabilityWait(RotationSettings s) {
    return new RotationSettings(
        s.secretStore(),
        s.secrets(),
        s.dataSets(),
        s.deployments(),
        s.policy().withMonitoringInterval(Testbed.MONITORING_INTERVAL),
        s.backups(),
        s.notifications(),
        s.aws(),
        s.metricWatch(),
        s.smokeChecks(),
        s.approvals(),
        s.vault());
  }

  /**
   * The notes Deployment, its environment Secret holding the team's key, and the empty keyring
   * Secret.
   */
  private void notesApplicationOnKubernetes() {
    kubernetes
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ENV_SECRET)
                .endMetadata()
                .addToData(
                    "LEGACY_APP_KEY", base64(base64(teamKey).getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
    kubernetes
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("notes-app-keyring")
                .endMetadata()
                .build())
        .create();
    kubernetes
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("notes-app")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "notes-app")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "notes-app")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("notes")
                .withImage("registry.example.invalid/notes:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /**
   * The worker of the guide's file, with the mock API server's client in place of the in-cluster
   * one.
   */
  private void startWorker(
      TestWorkflowEnvironment env, Worker worker, RotationSettings settings, SecretStore store) {
    BreakglassActivities activities =
        BreakglassActivities.create(
            settings,
            store,
            Map.of("notes", notesDb.dataSource()),
            breakglassDb.jdbi(),
            "guide-worker");
    List<Object> implementations = new ArrayList<>(activities.activities());
    implementations.removeIf(a -> a instanceof DeploymentActivities);
    implementations.add(
        new DeploymentActivitiesImpl(
            settings,
            store,
            DeploymentActivitiesImpl.targets(
                settings, store, kubernetes, System::getenv, Duration.ofMillis(100))));
    worker.registerActivitiesImplementations(implementations.toArray());
    env.start();
  }

  /** The notes application run with the variables its pods get from the environment Secret now. */
  private LegacyApp.Run readAsThePodsDo() {
    Map<String, String> variables = podEnvironment();
    String previous = variables.get("LEGACY_APP_PREVIOUS_KEY");
    return app.read(
        Base64.getDecoder().decode(variables.get("LEGACY_APP_KEY")),
        previous == null ? null : Base64.getDecoder().decode(previous));
  }

  private Map<String, String> podEnvironment() {
    Map<String, String> variables = new java.util.TreeMap<>();
    kubernetes
        .secrets()
        .inNamespace(NAMESPACE)
        .withName(ENV_SECRET)
        .get()
        .getData()
        .forEach(
            (name, value) ->
                variables.put(
                    name, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    return variables;
  }

  private CommandRun run(Path config, String command, String... options) {
    List<String> arguments = new ArrayList<>(List.of(command));
    arguments.addAll(List.of(options));
    arguments.add(config.toString());
    return CommandRun.of(
        new SubstitutingSourceProvider(
            new FileConfigurationSourceProvider(),
            new StringSubstitutor(environment).setEnableUndefinedVariableException(true)),
        printed ->
            switch (command) {
              case "check" -> new ConfigurationCheckCommand(printed);
              case "adopt" -> new AdoptCommand(printed);
              default -> new VerifyCommand();
            },
        arguments.toArray(String[]::new));
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
