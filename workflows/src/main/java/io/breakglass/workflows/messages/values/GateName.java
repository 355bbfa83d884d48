package io.breakglass.workflows.messages.values;

/** The two human approval gates of a rotation. */
public enum GateName {
  /** After the backup, before any key changes. */
  PROCEED,
  /** After a stable monitoring interval, before the old version is revoked. */
  REVOKE;

  /** The phase in which this gate waits. */
  public Phase phase() {
    return this == PROCEED ? Phase.GATE_PROCEED : Phase.GATE_REVOKE;
  }
}
