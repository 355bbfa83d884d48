package io.breakglass.worker;

import java.util.List;

/**
 * The worker's namespace lacks search attributes rotations upsert, and the worker may not add them.
 * The message is one line: the missing attributes and the command that adds them.
 */
public final class MissingSearchAttributesException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final List<String> missing;

  MissingSearchAttributesException(String message, List<String> missing) {
    super(message);
    this.missing = List.copyOf(missing);
  }

  /** The names of the missing attributes, in the order they are documented. */
  public List<String> missing() {
    return missing;
  }
}
