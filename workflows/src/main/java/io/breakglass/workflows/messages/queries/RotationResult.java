package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.time.Instant;
import java.util.List;

/**
 * What a completed rotation returns. A rotation that did not complete fails with an {@code
 * ApplicationFailure} whose type is a {@code RotationErrors} name.
 *
 * @param rotationId the business id
 * @param versions the versions now CURRENT
 * @param itemsReencrypted items rewritten under the new keys
 * @param itemsUnderOldKeys items VERIFY_DATA still found under an old key id (0 on success)
 * @param nextRotationDue when the next routine rotation is due
 * @param timeline the incident timeline
 */
public record RotationResult(
    String rotationId,
    List<NewVersion> versions,
    long itemsReencrypted,
    long itemsUnderOldKeys,
    Instant nextRotationDue,
    List<TimelineEntry> timeline) {}
