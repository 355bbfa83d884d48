package io.breakglass.activities.data;

/**
 * A data store could not be reached or refused an operation (SQL or I/O error). Retrying may help;
 * the message names the data set and item, never item content.
 */
public final class DataStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DataStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
