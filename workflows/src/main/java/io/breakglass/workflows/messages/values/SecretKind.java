package io.breakglass.workflows.messages.values;

/** How a secret's new versions come to be. */
public enum SecretKind {
  /** 32 random bytes generated inside an activity; encrypts stored data. */
  DATA_KEY,
  /** 64 random bytes generated inside an activity; signs tokens. */
  SIGNING_SECRET,
  /** Supplied by an operator straight to the secret store, never through Temporal. */
  API_KEY
}
