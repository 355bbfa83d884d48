package io.breakglass.activities.config;

/** How a column stores envelope v1. */
public enum EnvelopeFormat {
  /** The JSON form, in a {@code jsonb} or {@code text} column. */
  JSON,
  /** The binary form, in a {@code bytea} column. */
  BINARY
}
