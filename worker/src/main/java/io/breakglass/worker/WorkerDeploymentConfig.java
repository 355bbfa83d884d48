package io.breakglass.worker;

import io.temporal.common.WorkerDeploymentVersion;

/**
 * The Temporal Worker Deployment a worker belongs to. A worker with one is versioned: Temporal
 * routes new workflows to the deployment's current version (set by an operator), and a rotation
 * stays pinned to the build that started it until it ends, however many builds are deployed
 * meanwhile.
 *
 * <pre>{@code
 * temporal:
 *   deployment:
 *     name: breakglass
 *     buildId: 2026-12-03.1
 * }</pre>
 *
 * @param name the deployment's name, the same for every build of this worker; Temporal refuses
 *     {@code .} and {@code :} in it
 * @param buildId this build's id, unique per build (default: the jar's version, {@link
 *     WorkerBuild#version()})
 */
public record WorkerDeploymentConfig(String name, String buildId) {

  public WorkerDeploymentConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "temporal.deployment.name is required when temporal.deployment is set");
    }
    name = name.strip();
    if (name.contains(".") || name.contains(":")) {
      throw new IllegalArgumentException(
          "temporal.deployment.name must not contain '.' or ':' (Temporal refuses them), got '"
              + name
              + "'");
    }
    buildId = buildId == null || buildId.isBlank() ? WorkerBuild.version() : buildId.strip();
  }

  /** The Worker Deployment Version this worker polls as. */
  public WorkerDeploymentVersion version() {
    return new WorkerDeploymentVersion(name, buildId);
  }
}
