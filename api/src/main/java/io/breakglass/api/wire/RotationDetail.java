package io.breakglass.api.wire;

import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.util.List;

/**
 * {@code GET /api/rotations/{id}}: what the audit store holds and what the workflow answers now.
 * Either may be missing: the store before the workflow recorded the start, the workflow once the
 * Temporal server forgot it (the embedded one keeps nothing across restarts).
 *
 * @param record the stored rotation, or null
 * @param status the workflow's {@code status} query, or null
 * @param storedTimeline the timeline as the audit store holds it
 */
public record RotationDetail(
    RotationRecord record, RotationStatus status, List<TimelineEntry> storedTimeline) {}
