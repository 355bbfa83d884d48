package io.breakglass.activities.notify;

/**
 * A channel did not accept a notice. The message names the channel (without credentials), the
 * last answer and the number of attempts.
 */
public final class DeliveryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String channel;
  private final int status;

  /**
   * @param channel the channel's {@link Notifier#name()}
   * @param status the last HTTP status, or 0 when no answer came
   * @param outcome what happened, e.g. {@code answered 400} or {@code unreachable
   *     (ConnectException)}
   * @param attempts how many attempts were made (0 when the notice could not be sent at all)
   */
  public DeliveryException(String channel, int status, String outcome, int attempts) {
    super(channel + " " + outcome + (attempts > 0 ? " after " + attempts + " attempt(s)" : ""));
    this.channel = channel;
    this.status = status;
  }

  /** The channel that refused, as {@link Notifier#name()} gives it. */
  public String channel() {
    return channel;
  }

  /** The last HTTP status, or 0 when the channel never answered. */
  public int status() {
    return status;
  }
}
