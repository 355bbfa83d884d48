package io.breakglass.api.cli.ops;

/**
 * The exit codes of the {@code rotation} commands, for scripts. One place maps the API's answers to
 * them, so every subcommand exits alike.
 */
public final class ExitCodes {

  /** Done as asked. */
  public static final int OK = 0;

  /**
   * Bad arguments, or a request the API refused as malformed or unauthenticated (400, 401, 413,
   * 422, ...).
   */
  public static final int USAGE = 2;

  /**
   * A policy refused it: a role (403) or a rule of the rotation (409, e.g. the two-person rule).
   */
  public static final int REFUSED = 3;

  /** No such rotation (404). */
  public static final int NOT_FOUND = 4;

  /** The API did not answer, or answered with a server error (5xx). */
  public static final int UNAVAILABLE = 5;

  /** The rotation ended ROLLED_BACK or FAILED. */
  public static final int ROTATION_FAILED = 6;

  private ExitCodes() {}

  /** The exit code for an HTTP status the API answered with. */
  public static int forStatus(int status) {
    if (status < 400) {
      return OK;
    }
    if (status == 403 || status == 409) {
      return REFUSED;
    }
    if (status == 404) {
      return NOT_FOUND;
    }
    return status >= 500 ? UNAVAILABLE : USAGE;
  }
}
