package io.breakglass.activities.testing;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Plays Kubernetes' deployment controller against the mock API server, which has none. For every
 * Deployment whose spec it has not observed it starts a rollout: it finds the ReplicaSet with the
 * same pod template or creates one, gives it the next revision (also on the Deployment, as {@code
 * deployment.kubernetes.io/revision}), reports the rollout under way on one poll and on the next
 * either complete or, for the rollouts {@code stuck} picks (numbered from 1), never ready and past
 * its progress deadline ({@code ProgressDeadlineExceeded}).
 */
public final class DeploymentController implements AutoCloseable {

  public static final String REVISION = "deployment.kubernetes.io/revision";
  private static final String HASH = "pod-template-hash";

  private final KubernetesClient client;
  private final String namespace;
  private final IntPredicate stuck;
  private final AtomicInteger rollouts = new AtomicInteger();
  private final Map<String, Long> underWay = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public DeploymentController(KubernetesClient client, String namespace, IntPredicate stuck) {
    this.client = client;
    this.namespace = namespace;
    this.stuck = stuck;
    this.thread = new Thread(this::run, "deployment-controller");
    thread.setDaemon(true);
    thread.start();
  }

  /** A controller under which every rollout succeeds. */
  public static DeploymentController healthy(KubernetesClient client, String namespace) {
    return new DeploymentController(client, namespace, n -> false);
  }

  /** Rollouts started so far, the first (creation) included. */
  public int rollouts() {
    return rollouts.get();
  }

  private void run() {
    while (running) {
      try {
        for (Deployment deployment :
            client.apps().deployments().inNamespace(namespace).list().getItems()) {
          reconcile(deployment);
        }
        Thread.sleep(20);
      } catch (KubernetesClientException conflictOrRace) {
        // Someone wrote in between: observe again on the next poll, as the real controller does.
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void reconcile(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    long generation = deployment.getMetadata().getGeneration();
    long observed =
        status(deployment).getObservedGeneration() == null
            ? 0
            : status(deployment).getObservedGeneration();
    int replicas =
        deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    if (generation > observed) {
      int number = rollouts.incrementAndGet();
      String revision = adopt(deployment);
      client
          .apps()
          .deployments()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              d -> {
                d.getMetadata()
                    .setAnnotations(withRevision(d.getMetadata().getAnnotations(), revision));
                return d;
              });
      underWay.put(name + "@" + generation, stuck.test(number) ? -1L : 1L);
      writeStatus(
          name,
          new DeploymentStatusBuilder()
              .withObservedGeneration(generation)
              .withReplicas(replicas + 1)
              .withUpdatedReplicas(1)
              .withReadyReplicas(replicas)
              .withAvailableReplicas(replicas)
              .withConditions(
                  new DeploymentConditionBuilder()
                      .withType("Progressing")
                      .withStatus("True")
                      .withReason("ReplicaSetUpdated")
                      .build())
              .build());
      return;
    }
    Long state = underWay.remove(name + "@" + generation);
    if (state == null) {
      return;
    }
    if (state < 0) {
      writeStatus(
          name,
          new DeploymentStatusBuilder()
              .withObservedGeneration(generation)
              .withReplicas(replicas + 1)
              .withUpdatedReplicas(1)
              .withReadyReplicas(replicas)
              .withAvailableReplicas(replicas)
              .withUnavailableReplicas(1)
              .withConditions(
                  new DeploymentConditionBuilder()
                      .withType("Progressing")
                      .withStatus("False")
                      .withReason("ProgressDeadlineExceeded")
                      .build())
              .build());
    } else {
      writeStatus(
          name,
          new DeploymentStatusBuilder()
              .withObservedGeneration(generation)
              .withReplicas(replicas)
              .withUpdatedReplicas(replicas)
              .withReadyReplicas(replicas)
              .withAvailableReplicas(replicas)
              .withConditions(
                  new DeploymentConditionBuilder()
                      .withType("Progressing")
                      .withStatus("True")
                      .withReason("NewReplicaSetAvailable")
                      .build())
              .build());
    }
  }

  /** The ReplicaSet of the Deployment's template, found or created, with the next revision. */
  private String adopt(Deployment deployment) {
    List<ReplicaSet> owned =
        client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
            .filter(
                rs ->
                    rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(deployment.getMetadata().getUid())))
            .toList();
    int next =
        owned.stream()
                .mapToInt(
                    rs ->
                        Integer.parseInt(
                            rs.getMetadata().getAnnotations().getOrDefault(REVISION, "0")))
                .max()
                .orElse(0)
            + 1;
    String revision = Integer.toString(next);
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    for (ReplicaSet rs : owned) {
      if (withoutHash(rs.getSpec().getTemplate()).equals(template)) {
        client
            .apps()
            .replicaSets()
            .inNamespace(namespace)
            .withName(rs.getMetadata().getName())
            .edit(
                r -> {
                  r.getMetadata()
                      .setAnnotations(withRevision(r.getMetadata().getAnnotations(), revision));
                  return r;
                });
        return revision;
      }
    }
    String hash =
        Integer.toHexString(client.getKubernetesSerialization().asJson(template).hashCode());
    PodTemplateSpec hashed =
        new PodTemplateSpecBuilder(template)
            .editOrNewMetadata()
            .addToLabels(HASH, hash)
            .endMetadata()
            .build();
    Map<String, String> labels =
        new LinkedHashMap<>(deployment.getSpec().getSelector().getMatchLabels());
    labels.put(HASH, hash);
    client
        .apps()
        .replicaSets()
        .inNamespace(namespace)
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(deployment.getMetadata().getName() + "-" + hash)
                .withLabels(labels)
                .addToAnnotations(REVISION, revision)
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(deployment.getMetadata().getName())
                        .withUid(deployment.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(deployment.getSpec().getReplicas())
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withTemplate(hashed)
                .endSpec()
                .build())
        .create();
    return revision;
  }

  private static Map<String, String> withRevision(
      Map<String, String> annotations, String revision) {
    Map<String, String> copy = new LinkedHashMap<>(annotations == null ? Map.of() : annotations);
    copy.put(REVISION, revision);
    return copy;
  }

  private static PodTemplateSpec withoutHash(PodTemplateSpec template) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    Map<String, String> labels = new LinkedHashMap<>(copy.getMetadata().getLabels());
    labels.remove(HASH);
    copy.getMetadata().setLabels(labels);
    return copy;
  }

  private void writeStatus(String name, DeploymentStatus status) {
    Deployment current = client.apps().deployments().inNamespace(namespace).withName(name).get();
    current.setStatus(status);
    client.apps().deployments().inNamespace(namespace).resource(current).updateStatus();
  }

  private static DeploymentStatus status(Deployment deployment) {
    return deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
  }
}
