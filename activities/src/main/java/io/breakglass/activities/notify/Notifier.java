package io.breakglass.activities.notify;

import io.breakglass.workflows.activities.NotificationActivities.Notice;
import java.util.concurrent.CompletableFuture;

/** One channel notices go to (the log, a webhook). Implementations are thread-safe. */
public interface Notifier {

  /** Where notices go, safe to log: never a credential. */
  String name();

  /** Whether this channel receives {@code notice}: it serves at least one of its audiences. */
  boolean accepts(Notice notice);

  /**
   * Delivers {@code notice} once; retries are the activity's, never the channel's.
   *
   * @return completes when the channel accepted the notice, or exceptionally with a {@link
   *     DeliveryException} when it did not
   */
  CompletableFuture<Void> deliver(Notice notice);
}
