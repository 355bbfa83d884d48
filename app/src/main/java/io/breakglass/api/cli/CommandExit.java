package io.breakglass.api.cli;

/**
 * Ends a command with an exit code a script can act on, after the command printed why. The
 * application turns it into {@code System.exit(code)}.
 */
public final class CommandExit extends Exception {

  private static final long serialVersionUID = 1L;

  private final int code;

  public CommandExit(int code, String reason) {
    super(reason);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
