package io.breakglass.workflows.messages.values;

/** How the workloads that read a secret get a new keyring and restart. */
public enum DeploymentTargetType {
  /** Nothing to roll out: the phase is recorded as skipped, with the reason. */
  NONE,
  /** The keyring is published to a file and an operator confirms the restart with a signal. */
  MANUAL,
  /**
   * The keyring is a Kubernetes Secret; the restart is a rolling restart of a Deployment, awaited
   * until every replica is ready, and a rollback undoes it to the revision before.
   */
  KUBERNETES,
  /**
   * The keyring is published to a file and the workload re-reads it when Breakglass calls its
   * reload endpoint on loopback (the sample service's {@code POST /admin/reload}): a development
   * and test target, not one for production.
   */
  RELOAD_ENDPOINT,
  /**
   * An Amazon ECS service whose containers read the secrets from Secrets Manager at start: the
   * keyring is a new task definition revision whose {@code secrets} name the versions, the restart
   * is {@code UpdateService} awaited until the deployment is steady, and a failed one goes back to
   * the revision before.
   */
  ECS
}
