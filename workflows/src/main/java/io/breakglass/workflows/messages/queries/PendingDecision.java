package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.ResumeAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Why a rotation waits for a {@code resume}, and what it accepts.
 *
 * @param reason what happened, with ids and counts
 * @param allowed the resume actions that apply
 * @param since when it started waiting
 * @param items ids of the problem items (undecryptable rows or files), bounded; never content
 * @param consequences what each allowed action does that is not obvious from its name (above all:
 *     whether a ROLLBACK puts a version suspected compromised back), keyed by action
 */
public record PendingDecision(
    String reason,
    List<ResumeAction> allowed,
    Instant since,
    List<String> items,
    Map<ResumeAction, String> consequences) {}
