package io.breakglass.api.wire;

/** The shapes of the ids in paths and bodies; anything else is refused before Temporal sees it. */
public final class Ids {

  /** A rotation id, as the workflow accepts it. */
  public static final String ROTATION_ID = "[a-z0-9][a-z0-9-]{0,63}";

  public static final String ROTATION_ID_RULE =
      "must be 1-64 lower-case letters, digits and dashes, starting with a letter or digit";

  /** A secret's runbook name, as configuration accepts it. */
  public static final String SECRET_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  private Ids() {}
}
