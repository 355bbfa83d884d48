package io.breakglass.workflows.messages.queries;

import java.util.ArrayList;
import java.util.List;

/**
 * The pre-flight before the proceed gate, as the status shows it: whether Prometheus answered and
 * none of the configured alerts was firing. A failed pre-flight is passed only by approvers who
 * override it knowingly; they are listed here.
 *
 * @param state passed, failed, or not configured
 * @param reason one line: what was checked and found, or why there is no pre-flight
 * @param firing the configured alerts that were firing, by name
 * @param overriddenBy who approved the proceed gate overriding the failed pre-flight, in order
 */
public record PreflightView(
    State state, String reason, List<String> firing, List<String> overriddenBy) {

  /** How the pre-flight ended. */
  public enum State {
    PASSED,
    FAILED,
    NOT_CONFIGURED
  }

  public PreflightView {
    firing = firing == null ? List.of() : List.copyOf(firing);
    overriddenBy = overriddenBy == null ? List.of() : List.copyOf(overriddenBy);
  }

  /** True when the proceed gate needs overriding approvals. */
  public boolean failed() {
    return state == State.FAILED;
  }

  /** This view with {@code approver} added to those who overrode it. */
  public PreflightView overriddenBy(String approver) {
    List<String> all = new ArrayList<>(overriddenBy);
    all.add(approver);
    return new PreflightView(state, reason, firing, all);
  }
}
