package io.breakglass.workflows.messages.values;

/** Why a rotation runs; the kind sets the default number of approvers per gate. */
public enum RotationKind {
  /** A key may be compromised: rotate now (default one approver per gate). */
  EMERGENCY,
  /** The scheduled rotation every rotation interval (default two approvers per gate). */
  ROUTINE
}
