package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * A workload that reads some of the rotated secrets.
 *
 * @param name configured name, e.g. {@code backend}
 * @param target how it gets its keyring and restarts
 * @param secrets the rotated secrets it reads (a subset of the plan's secrets)
 */
public record DeploymentPlan(String name, DeploymentTargetType target, List<String> secrets) {}
