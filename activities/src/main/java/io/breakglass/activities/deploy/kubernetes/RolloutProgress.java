package io.breakglass.activities.deploy.kubernetes;

/**
 * Where a Deployment's rollout stands, as a heartbeat detail and in failure messages. Counts only.
 *
 * @param deployment namespace/name
 * @param generation {@code metadata.generation}, the spec the rollout must reach
 * @param observedGeneration the generation the deployment controller has acted on
 * @param replicas the desired replicas
 * @param updated replicas on the new pod template
 * @param ready ready replicas
 * @param available available replicas
 * @param total all replicas, old template included
 */
public record RolloutProgress(
    String deployment,
    long generation,
    long observedGeneration,
    int replicas,
    int updated,
    int ready,
    int available,
    int total) {

  /** Every replica runs the new template and is ready and available; no old replica is left. */
  boolean complete() {
    return observedGeneration >= generation
        && updated == replicas
        && ready == replicas
        && available == replicas
        && total == replicas;
  }

  @Override
  public String toString() {
    return deployment
        + ": "
        + updated
        + "/"
        + replicas
        + " updated, "
        + ready
        + " ready, "
        + available
        + " available, "
        + total
        + " total (generation "
        + observedGeneration
        + "/"
        + generation
        + ")";
  }
}
