package io.breakglass.activities.notify;

/**
 * A channel did not accept a notice. The message names the channel (without credentials) and its
 * answer; {@link #retryable()} says whether trying again may help.
 */
public final class DeliveryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String channel;
  private final int status;
  private final boolean retryable;

  /**
   * @param channel the channel's {@link Notifier#name()}
   * @param status the HTTP status, or 0 when no answer came
   * @param outcome what happened, e.g. {@code answered 400} or {@code unreachable
   *     (ConnectException)}
   * @param retryable whether another attempt may be accepted (no answer, 408, 429, 5xx)
   */
  public DeliveryException(String channel, int status, String outcome, boolean retryable) {
    super(channel + " " + outcome);
    this.channel = channel;
    this.status = status;
    this.retryable = retryable;
  }

  /** The channel that refused, as {@link Notifier#name()} gives it. */
  public String channel() {
    return channel;
  }

  /** The HTTP status, or 0 when the channel never answered. */
  public int status() {
    return status;
  }

  /** Whether another attempt may be accepted; false for a refusal. */
  public boolean retryable() {
    return retryable;
  }
}
