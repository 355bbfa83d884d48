package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.Command;
import io.breakglass.workflows.messages.commands.GateDecision;
import java.util.function.Function;

/**
 * Signals and updates whose input is missing or could not be read (see {@link Command}) are refused
 * with the reason: a signal is listed in the status's refusals and the timeline, the {@code decide}
 * update is refused with {@code DECISION_REFUSED}. Neither is dropped silently nor applied with
 * fields left out.
 */
final class UnreadableCommands {

  private UnreadableCommands() {}

  /**
   * Refuses signal {@code signal} when {@code input} is missing or unreadable.
   *
   * @param actor who sent it, as far as that could be read
   * @return true when refused: the handler must do nothing more
   */
  static <T extends Command> boolean refused(
      RotationContext rotation, String signal, T input, Function<T, String> actor) {
    if (input == null) {
      rotation.refuse(signal, null, "the " + signal + " signal carried no input");
      return true;
    }
    if (input.problems().isEmpty()) {
      return false;
    }
    rotation.refuse(
        signal, actor.apply(input), "unreadable input: " + String.join("; ", input.problems()));
    return true;
  }

  /** The {@code decide} validator's first check: refuses a decision that cannot be read. */
  static void validate(GateDecision decision) {
    if (decision != null && !decision.problems().isEmpty()) {
      throw RotationErrors.DECISION_REFUSED.failure(
          "unreadable decision: " + String.join("; ", decision.problems()));
    }
  }
}
