package io.breakglass.activities.deploy.kubernetes;

import static io.breakglass.activities.testing.KubernetesWorkload.DEPLOYMENT;
import static io.breakglass.activities.testing.KubernetesWorkload.KEYRING_SECRET;
import static io.breakglass.activities.testing.KubernetesWorkload.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EnvironmentKeys;
import io.breakglass.activities.config.EnvironmentSecret;
import io.breakglass.activities.config.KubernetesTarget;
import io.breakglass.activities.testing.DeploymentController;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Role in deploy/kubernetes/rbac/rbac.yaml against the requests the Kubernetes adapter makes:
 * every request is allowed and every permission is used, so neither can drift; its names are those
 * of the example configuration.
 */
@EnableKubernetesMockClient(crud = true)
class RbacTest {

  private static final Path RBAC = Path.of("..", "deploy", "kubernetes", "rbac", "rbac.yaml");
  private static final Path EXAMPLE = Path.of("..", "deploy", "config", "worker.yml");
  private static final String CALLER = "x-breakglass-test-caller";
  private static final String ENV_SECRET = "clinic-web-env";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void theRole_allowsEveryRequestOfTheAdapter_andNothingItDoesNotMake() throws Exception {
    Set<ApiPermission> granted = granted();

    Set<ApiPermission> needed = needed(exerciseTheAdapter(), granted);

    assertThat(needed).isEqualTo(granted);
  }

  @Test
  void negativeControl_aRequestTheRoleDoesNotGrant_isCaught() throws Exception {
    Set<ApiPermission> granted = granted();
    KubernetesClient adapter = tagged();
    KubernetesWorkload.create(client);

    adapter.secrets().inNamespace(NAMESPACE).list();

    assertThat(needed(adapterRequests(), granted))
        .isNotEmpty()
        .doesNotContainAnyElementsOf(granted);
  }

  @Test
  void theRbacNames_areThoseOfTheExampleConfiguration() throws Exception {
    Map<String, Object> example =
        client.getKubernetesSerialization().unmarshal(Files.readString(EXAMPLE), Map.class);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deployments =
        (List<Map<String, Object>>)
            ((Map<String, Object>) example.get("rotation")).get("deployments");
    Map<?, ?> kubernetes =
        deployments.stream()
            .filter(d -> "KUBERNETES".equals(d.get("target")))
            .map(d -> (Map<?, ?>) d.get("kubernetes"))
            .findFirst()
            .orElseThrow();

    assertThat(kubernetes.get("namespace")).isEqualTo(NAMESPACE);
    assertThat(kubernetes.get("deployment")).isEqualTo(DEPLOYMENT);
    assertThat(kubernetes.get("keyringSecret")).isEqualTo(KEYRING_SECRET);
    assertThat(((Map<?, ?>) kubernetes.get("environmentSecret")).get("name")).isEqualTo(ENV_SECRET);
    assertThat(role().getMetadata().getNamespace()).isEqualTo(NAMESPACE);
  }

  /**
   * Every adapter call: keyring read and update, environment keys update, restart and rollout wait,
   * a failed rollout, undo, pod logs.
   */
  private List<RecordedRequest> exerciseTheAdapter() throws Exception {
    KubernetesWorkload.create(client);
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(DEPLOYMENT + "-1")
                .addToLabels("app", DEPLOYMENT)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example.invalid/clinic-web:1")
                .endContainer()
                .endSpec()
                .build())
        .create();
    server
        .expect()
        .get()
        .withPath(KubernetesWorkload.logPath(NAMESPACE, DEPLOYMENT + "-1", "app", 10))
        .andReturn(200, "started\n")
        .always();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(new SecretBuilder().withNewMetadata().withName(ENV_SECRET).endMetadata().build())
        .create();
    KubernetesClient adapter = tagged();
    KubernetesDeploymentTarget target =
        new KubernetesDeploymentTarget(
            new DeploymentConfig(
                "web",
                DeploymentTargetType.KUBERNETES,
                List.of("jwt"),
                null,
                new KubernetesTarget(
                    NAMESPACE,
                    DEPLOYMENT,
                    KEYRING_SECRET,
                    Duration.ofSeconds(20),
                    new EnvironmentSecret(
                        ENV_SECRET,
                        List.of(
                            new EnvironmentKeys(
                                "jwt", "JWT_SECRET", List.of("JWT_SECRET_PREVIOUS"), null))))),
            adapter,
            (secret, version) -> new byte[32],
            p -> {},
            Duration.ofMillis(50));
    try (DeploymentController controller =
        new DeploymentController(client, NAMESPACE, n -> n == 3)) {
      new Rollout(client, NAMESPACE, DEPLOYMENT, Duration.ofMillis(20))
          .await(Duration.ofSeconds(10), p -> {});
      target.read();
      target.publish(new KeyringSpec("web", List.of(new KeyringEntry("jwt", "v2", List.of("v1")))));
      target.restart("r1", "DISTRIBUTE");
      assertThat(catchThrowable(() -> target.restart("r1", "PROMOTE")))
          .as("rollout 3 never becomes ready")
          .isNotNull();
      target.undoRestart("r1", "PROMOTE");
      assertThat(new PodLogs(adapter, NAMESPACE, DEPLOYMENT).sources().get(0).recent(10))
          .isNotEmpty();
    }
    return adapterRequests();
  }

  /** The requests made through {@link #tagged()} clients since the server started. */
  private List<RecordedRequest> adapterRequests() throws InterruptedException {
    List<RecordedRequest> requests = new java.util.ArrayList<>();
    for (RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      if ("adapter".equals(r.getHeader(CALLER))) {
        requests.add(r);
      }
    }
    assertThat(requests).as("the adapter's requests were recorded").isNotEmpty();
    return requests;
  }

  /** A client whose requests are told apart from the test's (setup, controller) by a header. */
  private KubernetesClient tagged() {
    Interceptor tag =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.header(CALLER, "adapter");
          }
        };
    return server.createClient(
        b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("caller", tag)));
  }

  /**
   * The granted permission each request uses: the one for its name when the Role names it,
   * otherwise the one for any name; a request the Role does not grant stays as it is, and so is
   * outside the granted set.
   */
  private static Set<ApiPermission> needed(
      List<RecordedRequest> requests, Set<ApiPermission> granted) {
    Set<ApiPermission> needed = new LinkedHashSet<>();
    for (RecordedRequest request : requests) {
      ApiPermission permission = ApiPermission.of(request);
      needed.add(
          granted.contains(permission) || !granted.contains(permission.anyName())
              ? permission
              : permission.anyName());
    }
    return needed;
  }

  /** The Role's rules, one permission per group, resource, verb and name. */
  private Set<ApiPermission> granted() throws Exception {
    Role role = role();
    Set<ApiPermission> granted = new LinkedHashSet<>();
    for (PolicyRule rule : role.getRules()) {
      List<String> names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? java.util.Collections.singletonList(null)
              : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            for (String name : names) {
              granted.add(
                  new ApiPermission(
                      role.getMetadata().getNamespace(), group, resource, verb, name));
            }
          }
        }
      }
    }
    return granted;
  }

  private Role role() throws Exception {
    try (InputStream yaml = Files.newInputStream(RBAC)) {
      List<HasMetadata> resources = client.getKubernetesSerialization().unmarshal(yaml);
      return resources.stream()
          .filter(Role.class::isInstance)
          .map(Role.class::cast)
          .findFirst()
          .orElseThrow();
    }
  }
}
