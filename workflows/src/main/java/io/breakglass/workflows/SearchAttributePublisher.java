package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps a rotation's {@link RotationSearchAttributes} in step with its phase and state: the
 * request's attributes once at the start, then phase and state on every change. One workflow
 * thread, in a scope of its own so cancellation does not stop it (a rollback changes the state
 * too), waits for the next change; {@link #publishNow()} covers the last change before the workflow
 * returns, which that thread would not get to run for.
 */
final class SearchAttributePublisher {

  /** Histories recorded before search attributes replay without their upserts. */
  private static final String CHANGE_ID = "search-attributes";

  /**
   * A server refuses a search attribute value over 2 KB (its default limit) by failing the workflow
   * task, again and again; a request may name up to 32 secrets of 200 characters.
   */
  private static final int LONGEST_SECRETS_JSON = 1_800;

  private final Supplier<Phase> phase;
  private final Supplier<RotationState> state;
  private boolean on;
  private Phase publishedPhase;
  private RotationState publishedState;

  SearchAttributePublisher(Supplier<Phase> phase, Supplier<RotationState> state) {
    this.phase = phase;
    this.state = state;
  }

  /** Publishes the request's attributes and the current phase and state, then follows changes. */
  void start(RotationRequest request) {
    on = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    if (!on) {
      return;
    }
    Workflow.upsertTypedSearchAttributes(
        RotationSearchAttributes.ROTATION_ID.valueSet(request.rotationId()),
        RotationSearchAttributes.SECRETS.valueSet(fitting(request.secrets())),
        RotationSearchAttributes.KIND.valueSet(request.kind().name()),
        RotationSearchAttributes.INITIATOR.valueSet(request.initiator()));
    publishNow();
    Workflow.newDetachedCancellationScope(() -> Async.procedure(this::follow)).run();
  }

  /** Publishes phase and state if either changed since the last upsert. */
  void publishNow() {
    if (!on || !changed()) {
      return;
    }
    publishedPhase = phase.get();
    publishedState = state.get();
    Workflow.upsertTypedSearchAttributes(
        RotationSearchAttributes.PHASE.valueSet(publishedPhase.name()),
        RotationSearchAttributes.STATE.valueSet(publishedState.name()));
  }

  /** The secrets, as many as fit in one search attribute value (in the request's order). */
  static List<String> fitting(List<String> secrets) {
    List<String> fit = new ArrayList<>();
    int json = 2;
    for (String secret : secrets) {
      json += secret.length() + 3;
      if (json > LONGEST_SECRETS_JSON) {
        break;
      }
      fit.add(secret);
    }
    return fit;
  }

  private void follow() {
    while (true) {
      Workflow.await(this::changed);
      publishNow();
    }
  }

  private boolean changed() {
    return phase.get() != publishedPhase || state.get() != publishedState;
  }
}
