package io.breakglass.workflows.messages.values;

/** A gate decision. */
public enum Verdict {
  APPROVE,
  REJECT
}
