package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.workflows.RotationErrors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rolling restart as {@code kubectl rollout restart} makes one (a new {@code restartedAt} on the
 * pod template, the other annotations kept), named so that a retried activity does not restart
 * twice, and remembering the revision it left so that it can be undone as {@code kubectl rollout
 * undo} does: by putting back the pod template of that revision's ReplicaSet.
 */
final class RollingRestart {

  static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  static final String REVISION = "deployment.kubernetes.io/revision";

  /** On the pod template: which restart made it ({@code <rotationId>: <reason>}). */
  static final String RESTART = "breakglass.io/restart";

  /**
   * On the pod template: the Deployment's revision before that restart, where an undo goes back to.
   */
  static final String RESTARTED_FROM = "breakglass.io/restarted-from-revision";

  /**
   * Added by the deployment controller to a ReplicaSet's labels and selector, never part of a
   * Deployment's template.
   */
  private static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  RollingRestart(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * Restarts the pods unless the pod template already carries {@code restart} and its rollout has
   * not failed (an earlier attempt of the same activity started it).
   */
  void start(String restart, Instant now) {
    Deployment deployment = deployment();
    Map<String, String> template = templateAnnotations(deployment);
    boolean ours = restart.equals(template.get(RESTART));
    if (ours && !(Rollout.observed(deployment) && Rollout.deadlineExceeded(deployment))) {
      return;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(RESTARTED_AT, now.toString());
    annotations.put(RESTART, restart);
    // Restarted again after a failed rollout: the undo still goes back to before the first attempt.
    String from = ours ? template.get(RESTARTED_FROM) : annotations(deployment).get(REVISION);
    if (from != null) {
      annotations.put(RESTARTED_FROM, from);
    }
    Map<String, Object> patch =
        Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations", annotations))));
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(patch));
  }

  /**
   * Puts back the pod template of the revision before {@code restart}.
   *
   * @return that revision, or empty when the current template is not the one {@code restart} made
   *     (it never happened, or was undone already)
   */
  Optional<String> undo(String restart) {
    Deployment deployment = deployment();
    Map<String, String> template = templateAnnotations(deployment);
    if (!restart.equals(template.get(RESTART))) {
      return Optional.empty();
    }
    String revision = template.get(RESTARTED_FROM);
    if (revision == null) {
      throw RotationErrors.RESTART_FAILED.failure(
          "cannot undo the restart of "
              + namespace
              + "/"
              + name
              + ": its revision before the restart is unknown");
    }
    ReplicaSet previous =
        replicaSets(deployment).stream()
            .filter(rs -> revision.equals(annotations(rs).get(REVISION)))
            .findFirst()
            .orElseThrow(
                () ->
                    RotationErrors.RESTART_FAILED.failure(
                        "cannot undo the restart of "
                            + namespace
                            + "/"
                            + name
                            + ": no ReplicaSet of revision "
                            + revision
                            + " is left (revisionHistoryLimit)"));
    PodTemplateSpec restored = new PodTemplateSpecBuilder(previous.getSpec().getTemplate()).build();
    Map<String, String> labels = new LinkedHashMap<>(restored.getMetadata().getLabels());
    labels.remove(POD_TEMPLATE_HASH);
    restored.getMetadata().setLabels(labels);
    List<Map<String, Object>> patch =
        List.of(Map.of("op", "replace", "path", "/spec/template", "value", restored));
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch));
    return Optional.of(revision);
  }

  /** The ReplicaSets the Deployment owns. */
  private List<ReplicaSet> replicaSets(Deployment deployment) {
    String uid = deployment.getMetadata().getUid();
    return client
        .apps()
        .replicaSets()
        .inNamespace(namespace)
        .withLabels(deployment.getSpec().getSelector().getMatchLabels())
        .list()
        .getItems()
        .stream()
        .filter(
            rs ->
                rs.getMetadata().getOwnerReferences().stream()
                    .map(OwnerReference::getUid)
                    .anyMatch(uid::equals))
        .toList();
  }

  private Deployment deployment() {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (deployment == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "deployment " + namespace + "/" + name + " does not exist");
    }
    return deployment;
  }

  private static Map<String, String> templateAnnotations(Deployment deployment) {
    ObjectMeta metadata = deployment.getSpec().getTemplate().getMetadata();
    return metadata == null || metadata.getAnnotations() == null
        ? Map.of()
        : metadata.getAnnotations();
  }

  private static Map<String, String> annotations(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
