package io.breakglass.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TimeoutFailure;

/** Reads a failure's type and message for timelines and the final error. */
final class Failures {

  private Failures() {}

  /** The {@link RotationErrors} name behind {@code failure}, or STEP_FAILED when it has none. */
  static String type(Throwable failure) {
    Throwable cause = root(failure);
    if (cause instanceof ApplicationFailure application && application.getType() != null) {
      return application.getType();
    }
    return RotationErrors.STEP_FAILED.name();
  }

  /** "TYPE: message" of the innermost meaningful failure. */
  static String describe(Throwable failure) {
    Throwable cause = root(failure);
    String message;
    if (cause instanceof ApplicationFailure application) {
      message = application.getOriginalMessage();
    } else if (cause instanceof TimeoutFailure timeout) {
      message = "timed out (" + timeout.getTimeoutType() + ")";
    } else if (cause instanceof CanceledFailure) {
      message = "cancelled";
    } else {
      message = cause.getMessage();
    }
    return type(failure) + ": " + message;
  }

  private static Throwable root(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof ActivityFailure || current instanceof ChildWorkflowFailure)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
