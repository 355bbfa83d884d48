package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * A secret the rotation replaces, as the store holds it when the rotation plans.
 *
 * @param name the runbook name, e.g. {@code artifact-encryption-key}
 * @param kind how its new version is made
 * @param currentVersionId the version labelled CURRENT now
 * @param previousVersionId the version labelled PREVIOUS now, or null
 * @param leftovers every other version still usable (empty in plans recorded before the inventory)
 */
public record SecretPlan(
    String name,
    SecretKind kind,
    String currentVersionId,
    String previousVersionId,
    List<LeftoverVersion> leftovers) {

  public SecretPlan {
    leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
  }

  /** A plan with no leftover versions. */
  public SecretPlan(
      String name, SecretKind kind, String currentVersionId, String previousVersionId) {
    this(name, kind, currentVersionId, previousVersionId, List.of());
  }
}
