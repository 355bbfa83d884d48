package io.breakglass.workflows;

import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.temporal.failure.TemporalFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * The saga: undo steps registered before their forward calls and run in reverse when the rotation
 * fails or is cancelled. A step that keeps failing is never swallowed: the caller escalates and a
 * human decides whether to retry it or leave it to manual repair, and skipped steps fail the
 * rotation with {@code COMPENSATION_FAILED}.
 */
final class Compensations {

  /** What the workflow does around each step: honour halts, and get a decision on a failure. */
  interface Supervisor {
    /** Called before each step; blocks while the rotation is halted. */
    void beforeStep();

    /** Called when a step failed after its retries; returns RETRY or SKIP_STEP. */
    ResumeAction onFailure(CompensationView step, TemporalFailure failure);

    /** Called when a step is done (the incident timeline records each, in the order they ran). */
    void onUndone(CompensationView step);
  }

  private static final class Step {
    final int order;
    final Phase phase;
    final String description;
    final Runnable undo;
    CompensationState state = CompensationState.REGISTERED;
    String error;

    Step(int order, Phase phase, String description, Runnable undo) {
      this.order = order;
      this.phase = phase;
      this.description = description;
      this.undo = undo;
    }

    CompensationView view() {
      return new CompensationView(order, phase, description, state, error);
    }
  }

  private final List<Step> steps = new ArrayList<>();

  /** Registers an undo step; call it before the forward call it undoes. */
  void register(Phase phase, String description, Runnable undo) {
    steps.add(new Step(steps.size() + 1, phase, description, undo));
  }

  /** Marks every registered step as no longer needed (the point of no return). */
  void release() {
    for (Step step : steps) {
      if (step.state == CompensationState.REGISTERED) {
        step.state = CompensationState.RELEASED;
      }
    }
  }

  /**
   * Runs the registered steps in reverse order.
   *
   * @return descriptions of the steps an operator chose to skip; empty when all were undone
   */
  List<String> runAll(Supervisor supervisor) {
    List<String> skipped = new ArrayList<>();
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step step = steps.get(i);
      if (step.state != CompensationState.REGISTERED) {
        continue;
      }
      supervisor.beforeStep();
      while (step.state != CompensationState.DONE
          && step.state != CompensationState.SKIPPED_BY_OPERATOR) {
        step.state = CompensationState.RUNNING;
        try {
          step.undo.run();
          step.state = CompensationState.DONE;
          step.error = null;
          supervisor.onUndone(step.view());
        } catch (TemporalFailure failure) {
          step.state = CompensationState.FAILED;
          step.error = Failures.describe(failure);
          if (supervisor.onFailure(step.view(), failure) == ResumeAction.SKIP_STEP) {
            step.state = CompensationState.SKIPPED_BY_OPERATOR;
            skipped.add(step.description);
          }
        }
      }
    }
    return skipped;
  }

  List<CompensationView> views() {
    return steps.stream().map(Step::view).toList();
  }
}
