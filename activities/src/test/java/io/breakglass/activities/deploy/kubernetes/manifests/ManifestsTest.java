package io.breakglass.activities.deploy.kubernetes.manifests;

import static io.breakglass.activities.deploy.kubernetes.manifests.ManifestRules.ROLE_ARN;
import static io.breakglass.activities.deploy.kubernetes.manifests.ManifestRules.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/kubernetes: every base file and every rendering (base and both overlays, by the real
 * kustomize) parsed into Fabric8's typed model with no unknown field, applied to the mock API
 * server, read back and held to {@link ManifestRules}; each rule is shown to fail on a manifest
 * mutated to break it.
 */
@EnableKubernetesMockClient(crud = true)
class ManifestsTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void everyBaseFile_isTypedWithNoUnknownField_andTheBaseRendersThemAll() throws Exception {
    Map<Path, List<HasMetadata>> files = Manifests.baseFiles();

    assertThat(files)
        .hasSizeGreaterThanOrEqualTo(13)
        .allSatisfy((f, r) -> assertThat(r).hasSize(1));
    assertThat(Manifests.parseStrictly(Manifests.render("base"))).hasSize(files.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
  void theRendering_appliedToTheServer_keepsEveryRule(String directory) throws Exception {
    List<HasMetadata> rendered = Manifests.parseStrictly(Manifests.render(directory));

    List<HasMetadata> applied = applyAndReadBack(rendered);

    assertThat(of(applied, Deployment.class)).hasSize(2);
    assertThat(ManifestRules.probes(applied)).isEmpty();
    assertThat(ManifestRules.security(applied)).isEmpty();
    assertThat(ManifestRules.resources(applied)).isEmpty();
    assertThat(ManifestRules.terminationGrace(applied, workerShutdownGrace())).isEmpty();
    assertThat(ManifestRules.configuration(applied)).isEmpty();
    assertThat(ManifestRules.disruptionBudgets(applied)).isEmpty();
    assertThat(ManifestRules.serviceAccounts(applied, !directory.equals("base"))).isEmpty();
    assertThat(ManifestRules.services(applied)).isEmpty();
    assertThat(ManifestRules.networkPolicies(applied)).isEmpty();
    assertThat(ManifestRules.serviceMonitors(applied)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void anOverlay_tagsTheImageWithTheProjectVersion_andLeavesNoPlaceholder(String directory)
      throws Exception {
    String yaml = Manifests.render(directory);
    String version = Pattern.quote(projectVersion());

    assertThat(yaml).doesNotContain("${");
    assertThat(of(Manifests.parseStrictly(yaml), Deployment.class))
        .flatExtracting(d -> d.getSpec().getTemplate().getSpec().getContainers())
        .extracting(Container::getImage)
        .allSatisfy(image -> assertThat(image).matches("(.*/)?breakglass:" + version));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void anOverlay_bindsTheWorkloadsRole_toTheWorkersServiceAccount(String directory)
      throws Exception {
    List<HasMetadata> rendered = Manifests.parseStrictly(Manifests.render(directory));
    Deployment worker = deployment(rendered, "breakglass-worker");

    Role role = of(rendered, Role.class).get(0);
    RoleBinding binding = of(rendered, RoleBinding.class).get(0);

    assertThat(role.getMetadata().getNamespace()).isEqualTo("clinic");
    assertThat(binding.getMetadata().getNamespace()).isEqualTo("clinic");
    assertThat(binding.getSubjects().get(0).getName())
        .isEqualTo(worker.getSpec().getTemplate().getSpec().getServiceAccountName());
    assertThat(binding.getSubjects().get(0).getNamespace())
        .isEqualTo(worker.getMetadata().getNamespace());
  }

  @Test
  void negativeControl_anUnknownField_failsParsing() throws Exception {
    String yaml =
        Files.readString(Manifests.KUBERNETES.resolve("base/worker-deployment.yaml"))
            .replace("readinessProbe:", "readynessProbe:");

    assertThatThrownBy(() -> Manifests.parseStrictly(yaml))
        .hasMessageContaining("spec.template.spec.containers[0].readynessProbe");
  }

  @Test
  void negativeControl_aKindWithoutTypedModel_failsParsing() throws Exception {
    String yaml =
        Files.readString(Manifests.KUBERNETES.resolve("base/worker-servicemonitor.yaml"))
            .replace("monitoring.coreos.com/v1", "monitoring.coreos.com/v9");

    assertThatThrownBy(() -> Manifests.parseStrictly(yaml)).hasMessageContaining("no typed model");
  }

  @Test
  void negativeControl_probes() throws Exception {
    assertThat(
            ManifestRules.probes(
                production(
                    r ->
                        container(r, "breakglass-worker")
                            .getReadinessProbe()
                            .getHttpGet()
                            .setPath("/health/live"))))
        .singleElement()
        .asString()
        .contains("readiness probe on /health/live");
    assertThat(
            ManifestRules.probes(
                production(
                    r ->
                        container(r, "breakglass-api")
                            .getLivenessProbe()
                            .getHttpGet()
                            .setPort(new IntOrString("admin")))))
        .singleElement()
        .asString()
        .contains("liveness probe port");
  }

  @Test
  void negativeControl_security() throws Exception {
    assertThat(
            ManifestRules.security(
                production(
                    r ->
                        container(r, "breakglass-worker")
                            .getSecurityContext()
                            .setReadOnlyRootFilesystem(false))))
        .singleElement()
        .asString()
        .contains("root filesystem not read-only");
    assertThat(
            ManifestRules.security(
                production(
                    r -> {
                      container(r, "breakglass-api").getSecurityContext().setRunAsNonRoot(null);
                      deployment(r, "breakglass-api")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getSecurityContext()
                          .setRunAsUser(0L);
                    })))
        .singleElement()
        .asString()
        .contains("not runAsNonRoot");
    assertThat(
            ManifestRules.security(
                production(
                    r ->
                        container(r, "breakglass-api")
                            .getSecurityContext()
                            .getCapabilities()
                            .setDrop(List.of("NET_RAW")))))
        .singleElement()
        .asString()
        .contains("capabilities not all dropped");
    assertThat(
            ManifestRules.security(
                production(
                    r ->
                        container(r, "breakglass-api")
                            .getSecurityContext()
                            .setAllowPrivilegeEscalation(null))))
        .singleElement()
        .asString()
        .contains("privilege escalation");
    assertThat(
            ManifestRules.security(
                production(
                    r -> {
                      container(r, "breakglass-worker")
                          .getSecurityContext()
                          .setSeccompProfile(null);
                      deployment(r, "breakglass-worker")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getSecurityContext()
                          .setSeccompProfile(null);
                    })))
        .singleElement()
        .asString()
        .contains("seccomp");
  }

  @Test
  void negativeControl_resources() throws Exception {
    assertThat(
            ManifestRules.resources(
                production(r -> container(r, "breakglass-api").getResources().setLimits(Map.of()))))
        .hasSize(2);
  }

  @Test
  void negativeControl_terminationGrace() throws Exception {
    assertThat(
            ManifestRules.terminationGrace(
                production(
                    r ->
                        deployment(r, "breakglass-worker")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .setTerminationGracePeriodSeconds(45L)),
                workerShutdownGrace()))
        .singleElement()
        .asString()
        .contains("not above the worker's shutdownGrace");
  }

  @Test
  void negativeControl_configuration() throws Exception {
    assertThat(
            ManifestRules.configuration(
                production(
                    r ->
                        container(r, "breakglass-api")
                            .setArgs(List.of("server", "/etc/breakglass/breakglass.yml")))))
        .singleElement()
        .asString()
        .contains("args");
  }

  @Test
  void negativeControl_disruptionBudgets() throws Exception {
    assertThat(
            ManifestRules.disruptionBudgets(
                production(
                    r ->
                        r.removeIf(
                            x ->
                                x instanceof PodDisruptionBudget
                                    && x.getMetadata().getName().equals("breakglass-api")))))
        .singleElement()
        .asString()
        .contains("0 PodDisruptionBudgets");
    assertThat(
            ManifestRules.disruptionBudgets(
                production(
                    r ->
                        of(r, PodDisruptionBudget.class)
                            .get(0)
                            .getSpec()
                            .getSelector()
                            .getMatchLabels()
                            .remove(ManifestRules.COMPONENT))))
        .isNotEmpty()
        .anySatisfy(v -> assertThat(v).contains("selects the pods of 2 Deployments"));
  }

  @Test
  void negativeControl_serviceAccounts() throws Exception {
    assertThat(
            ManifestRules.serviceAccounts(
                production(
                    r ->
                        account(r, "breakglass-worker")
                            .getMetadata()
                            .getAnnotations()
                            .put(ROLE_ARN, "${BREAKGLASS_WORKER_ROLE_ARN}")),
                true))
        .singleElement()
        .asString()
        .contains(ROLE_ARN);
    assertThat(
            ManifestRules.serviceAccounts(
                production(r -> r.remove(account(r, "breakglass-api"))), true))
        .singleElement()
        .asString()
        .contains("no ServiceAccount");
  }

  @Test
  void negativeControl_services() throws Exception {
    assertThat(
            ManifestRules.services(
                production(
                    r ->
                        service(r, "breakglass-worker")
                            .getSpec()
                            .getPorts()
                            .get(0)
                            .setTargetPort(new IntOrString("metrics")))))
        .hasSize(2)
        .anySatisfy(v -> assertThat(v).contains("targets no named container port"));
  }

  @Test
  void negativeControl_networkPolicies() throws Exception {
    assertThat(
            ManifestRules.networkPolicies(
                production(
                    r ->
                        policy(r, "breakglass-worker")
                            .getSpec()
                            .getEgress()
                            .add(new NetworkPolicyEgressRule()))))
        .singleElement()
        .asString()
        .contains("any port to anywhere");
    assertThat(
            ManifestRules.networkPolicies(
                production(
                    r ->
                        policy(r, "breakglass-api")
                            .getSpec()
                            .getIngress()
                            .get(0)
                            .setFrom(List.of()))))
        .singleElement()
        .asString()
        .contains("8080/TCP from anywhere");
    assertThat(
            ManifestRules.networkPolicies(
                production(
                    r -> policy(r, "breakglass-api").getSpec().setPolicyTypes(List.of("Ingress")))))
        .singleElement()
        .asString()
        .contains("not isolated both ways");
  }

  @Test
  void negativeControl_serviceMonitors() throws Exception {
    assertThat(
            ManifestRules.serviceMonitors(
                production(
                    r ->
                        of(r, ServiceMonitor.class).stream()
                            .filter(m -> m.getMetadata().getName().equals("breakglass-worker"))
                            .findFirst()
                            .orElseThrow()
                            .getSpec()
                            .getEndpoints()
                            .get(0)
                            .setPath("/prometheus"))))
        .singleElement()
        .asString()
        .contains("no ServiceMonitor scrapes http-metrics /metrics");
  }

  /** The rendered production overlay, with one mutation applied. */
  private static List<HasMetadata> production(Consumer<List<HasMetadata>> mutation)
      throws Exception {
    List<HasMetadata> resources =
        new ArrayList<>(Manifests.parseStrictly(Manifests.render("overlays/production")));
    mutation.accept(resources);
    return resources;
  }

  private List<HasMetadata> applyAndReadBack(List<HasMetadata> resources) {
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com")
            .withVersion("v1")
            .withKind("ServiceMonitor")
            .withPlural("servicemonitors")
            .withScope("Namespaced")
            .build());
    resources.forEach(r -> client.resource(r).create());
    List<HasMetadata> readBack = resources.stream().map(r -> client.resource(r).get()).toList();
    assertThat(readBack).doesNotContainNull().hasSameSizeAs(resources);
    return readBack;
  }

  /** The worker's shutdownGrace: worker.yml where it exists, else the combined example. */
  private static Duration workerShutdownGrace() throws Exception {
    Path config = Manifests.ROOT.resolve("deploy/config/worker.yml");
    if (!Files.exists(config)) {
      config = Manifests.ROOT.resolve("deploy/config/breakglass.yml");
    }
    Map<?, ?> yaml = Manifests.SERIALIZATION.unmarshal(Files.readString(config), Map.class);
    return Duration.parse((String) ((Map<?, ?>) yaml.get("temporal")).get("shutdownGrace"));
  }

  private static String projectVersion() throws Exception {
    Matcher version =
        Pattern.compile("<version>([^<]+)</version>")
            .matcher(Files.readString(Manifests.ROOT.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    return version.group(1);
  }

  private static Deployment deployment(List<HasMetadata> r, String name) {
    return named(of(r, Deployment.class), name);
  }

  private static Container container(List<HasMetadata> r, String deployment) {
    return deployment(r, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static ServiceAccount account(List<HasMetadata> r, String name) {
    return named(of(r, ServiceAccount.class), name);
  }

  private static Service service(List<HasMetadata> r, String name) {
    return named(of(r, Service.class), name);
  }

  private static NetworkPolicy policy(List<HasMetadata> r, String name) {
    return named(of(r, NetworkPolicy.class), name);
  }

  private static <T extends HasMetadata> T named(List<T> resources, String name) {
    return resources.stream()
        .filter(x -> x.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
