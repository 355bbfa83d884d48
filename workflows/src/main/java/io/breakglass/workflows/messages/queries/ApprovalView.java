package io.breakglass.workflows.messages.queries;

import java.time.Instant;

/**
 * One approval a gate counted.
 *
 * @param approver who approved
 * @param comment their comment
 * @param at when
 */
public record ApprovalView(String approver, String comment, Instant at) {}
