package io.breakglass.activities.secrets;

/** The lifecycle marker of a version, beside its labels. */
public enum VersionStatus {
  /** Usable. */
  ACTIVE,
  /** Created by a rotation that rolled back; never used as CURRENT. Kept, not destroyed. */
  DISCARDED,
  /** Retired after a rotation; kept (recoverable) for the configured window, never used. */
  REVOKED
}
