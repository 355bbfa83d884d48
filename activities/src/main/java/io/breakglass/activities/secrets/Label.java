package io.breakglass.activities.secrets;

/** A staging label; each is on at most one version of a secret. */
public enum Label {
  /** The version applications use to write. */
  CURRENT,
  /** The new version a rotation is rolling out. */
  PENDING,
  /** The version that was CURRENT before the last promotion. */
  PREVIOUS
}
