package io.breakglass.workflows.messages.values;

/**
 * A secret the rotation replaces, as the store holds it when the rotation plans.
 *
 * @param name the runbook name, e.g. {@code artifact-encryption-key}
 * @param kind how its new version is made
 * @param currentVersionId the version labelled CURRENT now
 * @param previousVersionId the version labelled PREVIOUS now, or null
 */
public record SecretPlan(
    String name, SecretKind kind, String currentVersionId, String previousVersionId) {}
