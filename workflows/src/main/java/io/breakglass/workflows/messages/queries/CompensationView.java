package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.Phase;

/**
 * A compensation, registered before its forward step.
 *
 * @param order registration order, from 1; compensations run in reverse order
 * @param phase the phase whose step it undoes
 * @param description what it does, e.g. "discard version v2 of jwt"
 * @param state where it stands
 * @param error the last failure message, or null
 */
public record CompensationView(
    int order, Phase phase, String description, CompensationState state, String error) {}
