package io.breakglass.workflows.messages.values;

/** The fourteen phases of a rotation, in the order the runbook runs them (docs/architecture.md). */
public enum Phase {
  PLAN,
  NOTIFY,
  BACKUP,
  GATE_PROCEED,
  CREATE_VERSION,
  DISTRIBUTE,
  PROMOTE,
  REENCRYPT,
  VERIFY_DATA,
  SMOKE_TEST,
  METRIC_WATCH,
  GATE_REVOKE,
  REVOKE,
  CLOSE;

  /** The runbook's step number, 1 to 14. */
  public int number() {
    return ordinal() + 1;
  }
}
