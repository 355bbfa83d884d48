package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.TimelineEntry;
import java.util.List;

/**
 * What a completed un-revoke returns. One that did not complete fails with an {@code
 * ApplicationFailure} whose type is a {@code RotationErrors} name.
 *
 * @param rotationId the rotation whose REVOKE was undone
 * @param secret the secret
 * @param versionId the version usable again (decrypt-only)
 * @param approvers who approved, in order
 * @param deployments the deployments whose keyring has the version back, restarted
 * @param timeline its entries, as stored in the rotation's timeline
 */
public record RecoveryResult(
    String rotationId,
    String secret,
    String versionId,
    List<String> approvers,
    List<String> deployments,
    List<TimelineEntry> timeline) {}
