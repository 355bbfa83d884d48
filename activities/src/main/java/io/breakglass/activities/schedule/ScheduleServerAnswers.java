package io.breakglass.activities.schedule;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/** What the server's refusal of a schedule call means, read from its gRPC status. */
final class ScheduleServerAnswers {

  private ScheduleServerAnswers() {}

  /**
   * True when the server has no Schedules: the Java test server answers UNIMPLEMENTED, a real
   * server with Schedules switched off for the namespace PERMISSION_DENIED naming them.
   */
  static boolean noSchedules(Throwable failure) {
    return status(failure)
        .filter(
            s ->
                s.getCode() == Status.Code.UNIMPLEMENTED
                    || (s.getCode() == Status.Code.PERMISSION_DENIED
                        && s.getDescription() != null
                        && s.getDescription().startsWith("Schedules are disabled")))
        .isPresent();
  }

  /** True when the schedule (or workflow) asked for does not exist. */
  static boolean notFound(Throwable failure) {
    return status(failure).filter(s -> s.getCode() == Status.Code.NOT_FOUND).isPresent();
  }

  private static Optional<Status> status(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc) {
        return Optional.of(grpc.getStatus());
      }
    }
    return Optional.empty();
  }
}
