package io.breakglass.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.activities.lock.SecretLocks;
import io.breakglass.activities.lock.TemporalHolderWorkflows;
import io.breakglass.api.auth.Role;
import io.breakglass.api.auth.StaticTokens;
import io.breakglass.api.http.JettyWireLog;
import io.breakglass.worker.dev.DevConfiguration;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.dev.DevStack;
import io.breakglass.workflows.IdleWorkflow;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.activities.SecretLockActivities.LockHolder;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.DropwizardTestSupport;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.core.ConditionTimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded stack (Temporal test server, PostgreSQL, local store, a worker) plus the operator
 * API on it, started once for every API test class (see {@link #shared}) and stopped when the test
 * run ends. Callers are the {@link #USERS}, whose token is {@code token-<name>}. One rotation per
 * secret holds on the shared stack too: a test class that leaves rotations open has them ended when
 * it ends (see {@link #shared}), so the next class finds every secret free.
 */
public final class ApiTestbed implements AutoCloseable {

  /** name → roles: a viewer, an operator, two approvers, an admin. */
  public static final Map<String, List<String>> USERS =
      Map.of(
          "vera", List.of(Role.VIEWER),
          "olivia", List.of(Role.OPERATOR),
          "bob", List.of(Role.APPROVER),
          "carol", List.of(Role.APPROVER),
          "ada", List.of(Role.ADMIN));

  /** Small enough that a rotation's backup takes a moment. */
  private static final DevStack.DemoSize SMALL = new DevStack.DemoSize(40, 4, 1_024);

  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final ObjectMapper YAML =
      Jackson.newObjectMapper(new YAMLFactory())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  private final Path folder;
  private final DevStack stack;
  private final DropwizardTestSupport<BreakglassConfiguration> app;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ApiTestbed(Path folder, Map<String, Object> limits) throws Exception {
    this.folder = folder;
    DevLayout layout = new DevLayout(folder.resolve("data"));
    writeApprovals(layout);
    stack = DevStack.start(layout, 0, 0, SMALL, new PrintStream(PrintStream.nullOutputStream()));
    app = startApi(stack, folder.resolve("api.yml"), limits);
  }

  /**
   * Unsigned decisions count, as in dev; a proof that is given must verify: with the {@link
   * TestProofs} key of each of the {@link #USERS} (and dave, erin), or as an ID token of the {@link
   * TestIdentityProvider#shared} provider.
   */
  private static void writeApprovals(DevLayout layout) throws IOException {
    List<String> people = new ArrayList<>(USERS.keySet());
    people.addAll(List.of("dave", "erin"));
    Files.createDirectories(layout.root());
    Files.write(
        layout.approvals(),
        JSON.writeValueAsBytes(
            Map.of(
                "allowUnsigned", true,
                "oidc", TestIdentityProvider.shared().approvalsConfig(),
                "keys", TestProofs.registered(people))));
  }

  /**
   * The testbed every API test class shares; started by the first, stopped after the last. The
   * rotations still holding secret locks when the calling class ends are ended (see {@link
   * #endOpenRotations}).
   */
  public static ApiTestbed shared(ExtensionContext context) {
    ApiTestbed testbed =
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(
                ApiTestbed.class,
                key -> {
                  try {
                    return new ApiTestbed(
                        Files.createTempDirectory("breakglass-api-test"),
                        Map.of("startsPerMinute", 10_000, "decisionsPerMinute", 10_000));
                  } catch (Exception e) {
                    throw new IllegalStateException("cannot start the API testbed", e);
                  }
                },
                ApiTestbed.class);
    context
        .getStore(ExtensionContext.Namespace.create(ApiTestbed.class))
        .put("open rotations", (AutoCloseable) testbed::endOpenRotations);
    return testbed;
  }

  /**
   * A second API on the shared stack with other limits, and other top-level sections (e.g. {@code
   * temporal}, {@code logging}, or {@code api} built with {@link #staticTokens}) replaced; {@code
   * server} entries other than the connectors (e.g. {@code requestLog}) are added. {@link
   * #closeAnother} it once done.
   */
  public DropwizardTestSupport<BreakglassConfiguration> anotherApi(
      String name, Map<String, Object> limits, Map<String, Object> replaced) throws Exception {
    return startApi(stack, folder.resolve(name + ".yml"), limits, replaced);
  }

  /**
   * Stops an API from {@link #anotherApi}. Its stop resets logging to Logback's defaults, so the
   * shared API's logging is configured again as at its start.
   */
  public void closeAnother(DropwizardTestSupport<BreakglassConfiguration> another) {
    another.after();
    app.getConfiguration()
        .getLoggingFactory()
        .configure(app.getEnvironment().metrics(), "breakglass");
    JettyWireLog.keepBodiesOut();
  }

  private static DropwizardTestSupport<BreakglassConfiguration> startApi(
      DevStack stack, Path file, Map<String, Object> limits) throws Exception {
    return startApi(stack, file, limits, Map.of());
  }

  private static DropwizardTestSupport<BreakglassConfiguration> startApi(
      DevStack stack, Path file, Map<String, Object> limits, Map<String, Object> replaced)
      throws Exception {
    Map<String, Object> configuration = new LinkedHashMap<>(DevConfiguration.apiContents(stack));
    // Loopback connectors on free ports, plus what the replaced server section adds (a request
    // log).
    Map<String, Object> server = new LinkedHashMap<>(DevConfiguration.loopbackServer(0, 0));
    if (replaced.get("server") instanceof Map<?, ?> more) {
      more.forEach((key, value) -> server.putIfAbsent((String) key, value));
    }
    configuration.put("server", server);
    configuration.put("api", Map.of("auth", Map.of("tokens", staticTokens()), "limits", limits));
    replaced.forEach(
        (key, value) -> {
          if (!key.equals("server")) {
            configuration.put(key, value);
          }
        });
    Files.write(file, YAML.writeValueAsBytes(configuration));
    DropwizardTestSupport<BreakglassConfiguration> support =
        new DropwizardTestSupport<>(BreakglassApplication.class, file.toString());
    support.before();
    return support;
  }

  /** The {@code api.auth.tokens} section that admits the {@link #USERS}. */
  public static List<Map<String, Object>> staticTokens() {
    return USERS.entrySet().stream()
        .map(
            u ->
                Map.<String, Object>of(
                    "name",
                    u.getKey(),
                    "sha256",
                    StaticTokens.hash(token(u.getKey())),
                    "roles",
                    u.getValue()))
        .toList();
  }

  public static String token(String user) {
    return "token-" + user;
  }

  public DevStack stack() {
    return stack;
  }

  public DropwizardTestSupport<BreakglassConfiguration> app() {
    return app;
  }

  /** {@code http://127.0.0.1:<port><path>} on the shared API. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.getLocalPort() + path);
  }

  public URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + app.getAdminPort() + path);
  }

  /** Sends {@code request} to the shared API as {@code user} (null: no credentials). */
  public HttpResponse<String> send(String user, HttpRequest.Builder request) {
    if (user != null) {
      request.header("Authorization", "Bearer " + token(user));
    }
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String user, String path) {
    return send(user, HttpRequest.newBuilder(uri(path)).GET());
  }

  public HttpResponse<String> post(String user, String path, String json) {
    return send(
        user,
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Starts rotation {@code id} of {@code secret} as {@code user} with one approval per gate. */
  public HttpResponse<String> start(String user, String id, String secret) {
    return post(
        user,
        "/api/rotations",
        "{\"rotationId\":\""
            + id
            + "\",\"secrets\":[\""
            + secret
            + "\"],\"kind\":\"EMERGENCY\","
            + "\"reason\":\"test "
            + id
            + "\",\"requiredApprovals\":1}");
  }

  /** The workflow's status of a rotation, as the admin reads it. */
  public JsonNode status(String rotationId) {
    HttpResponse<String> response = get("ada", "/api/rotations/" + rotationId);
    return response.statusCode() == 200 ? json(response).path("status") : JSON.missingNode();
  }

  /** Polls the rotation's status until {@code condition} holds; fails after {@code timeout}. */
  public JsonNode awaitStatus(
      String rotationId, java.util.function.Predicate<JsonNode> condition, Duration timeout) {
    return await("rotation " + rotationId + " reaches the expected state")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(rotationId), condition);
  }

  /** Waits until the rotation waits at {@code gate} (PROCEED or REVOKE). */
  public JsonNode awaitGate(String rotationId, String gate) {
    return awaitStatus(
        rotationId,
        s -> gate.equals(s.path("pendingGate").path("gate").asText()),
        Duration.ofSeconds(90));
  }

  /** Every secret lock on the shared stack, by secret. */
  public List<LockHolder> secretLocks() {
    return new SecretLocks(
            Jdbi.create(stack.jdbcUrl(DevSettings.BREAKGLASS_DATABASE)), id -> Optional.empty())
        .held();
  }

  /**
   * Terminates the rotation's workflow through Temporal, as an operator could: it runs no more
   * code.
   */
  public void terminate(String rotationId) {
    stack
        .client()
        .newUntypedWorkflowStub(RotationWorkflow.workflowId(rotationId))
        .terminate("test over");
  }

  /**
   * Ends every rotation that still holds a secret lock: once it waits (a cancel racing an activity
   * can leave the test server's rollback hanging), cancels it and confirms the restarts of its
   * rollback, so that its new versions are discarded before the next test rotates the secret. One
   * that does not get there in time is terminated (the next rotation takes its lock over).
   */
  public void endOpenRotations() {
    TemporalHolderWorkflows workflows = new TemporalHolderWorkflows(stack.client());
    for (LockHolder holder : secretLocks()) {
      String id = holder.rotationId();
      if (!workflows
          .status(holder.workflowId())
          .equals(Optional.of(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING))) {
        continue;
      }
      try {
        awaitStatus(id, ApiTestbed::waits, Duration.ofSeconds(20));
        cancel("ada", id, "test class over");
        awaitStatus(
            id,
            status -> {
              status
                  .path("pendingRestarts")
                  .forEach(
                      deployment ->
                          post(
                              "olivia",
                              "/api/rotations/" + id + "/restarts/" + deployment.asText(),
                              "{\"ready\":true,\"comment\":\"pods ready\"}"));
              return ended(status);
            },
            Duration.ofMinutes(1));
        awaitClosed(id);
      } catch (AssertionError | ConditionTimeoutException stuck) {
        try {
          terminate(id);
        } catch (RuntimeException closedMeanwhile) {
          // it ended after all
        }
      }
    }
  }

  private static boolean waits(JsonNode status) {
    return status.path("pendingGate").isObject()
        || status.path("pendingDecision").isObject()
        || !status.path("pendingRestarts").isEmpty()
        || ended(status);
  }

  private static boolean ended(JsonNode status) {
    return List.of("COMPLETED", "ROLLED_BACK", "FAILED").contains(status.path("state").asText());
  }

  /**
   * Cancels the rotation through the API once its workflow is idle: the test server can leave a
   * rollback hanging when a cancel races an activity that completes in the same instant ({@link
   * IdleWorkflow}).
   */
  public HttpResponse<String> cancel(String actor, String rotationId, String comment) {
    IdleWorkflow.await(stack.client(), RotationWorkflow.workflowId(rotationId));
    return post(
        actor, "/api/rotations/" + rotationId + "/cancel", "{\"comment\":\"" + comment + "\"}");
  }

  /** Waits until the rotation's workflow has closed, however it ended: its locks are given back. */
  public void awaitClosed(String rotationId) {
    try {
      stack
          .client()
          .newUntypedWorkflowStub(RotationWorkflow.workflowId(rotationId))
          .getResult(90, TimeUnit.SECONDS, Object.class);
    } catch (WorkflowException ended) {
      // failed, rolled back or cancelled: closed all the same
    } catch (TimeoutException e) {
      throw new AssertionError(
          "rotation " + rotationId + " did not close: " + status(rotationId), e);
    }
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  @Override
  public void close() throws Exception {
    app.after();
    stack.close();
    try (var files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
