package io.breakglass.activities.data;

/** An item changed or vanished between its listing and its read; the caller reads it afresh. */
public final class ItemChangedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ItemChangedException(String message) {
    super(message);
  }
}
