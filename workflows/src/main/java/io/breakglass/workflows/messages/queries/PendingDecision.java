package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.ResumeAction;
import java.time.Instant;
import java.util.List;

/**
 * Why a rotation waits for a {@code resume}, and what it accepts.
 *
 * @param reason what happened, with ids and counts
 * @param allowed the resume actions that apply
 * @param since when it started waiting
 * @param items ids of the problem items (undecryptable rows or files), bounded; never content
 */
public record PendingDecision(
    String reason, List<ResumeAction> allowed, Instant since, List<String> items) {}
