package io.breakglass.activities.notify;

import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.WebhookConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.NotificationActivities;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every notice to the log, then once to every webhook configured for one of its audiences,
 * all webhooks at once so a slow receiver does not delay the others.
 *
 * <p>If any webhook does not accept the notice the activity fails, naming each failed webhook and
 * its answer: with {@code NOTIFICATION_FAILED} (retryable) when one of them may accept it later (no
 * answer, 408, 429, 5xx), else with {@code NOTIFICATION_REFUSED} (not retryable). Nothing retries
 * within an attempt: the activity's retry policy bounds how often a receiver gets the notice. A
 * retried attempt sends the notice again to <em>every</em> matching webhook, including those that
 * already accepted it: the {@code Idempotency-Key} ({@code <rotationId>/<event>}) lets receivers
 * drop the duplicate.
 *
 * <p>One instance serves all activity threads.
 */
public final class NotificationActivitiesImpl implements NotificationActivities {

  private static final Logger log = LoggerFactory.getLogger(NotificationActivitiesImpl.class);

  private final Notifier logChannel;
  private final List<Notifier> webhooks;

  /** The log channel plus one {@link WebhookNotifier} per configured webhook, sharing a client. */
  public NotificationActivitiesImpl(NotificationConfig config) {
    this(new LogNotifier(), webhooks(config));
  }

  /**
   * @param logChannel receives every notice first
   * @param webhooks receive the notices they {@link Notifier#accepts accept}
   */
  public NotificationActivitiesImpl(Notifier logChannel, List<? extends Notifier> webhooks) {
    this.logChannel = logChannel;
    this.webhooks = List.copyOf(webhooks);
  }

  @Override
  public void notify(Notice notice) {
    logChannel.deliver(notice).join();
    List<Map.Entry<Notifier, CompletableFuture<Void>>> sending = new ArrayList<>();
    for (Notifier webhook : webhooks) {
      if (webhook.accepts(notice)) {
        sending.add(Map.entry(webhook, webhook.deliver(notice)));
      }
    }
    List<String> refusals = new ArrayList<>();
    boolean retryable = false;
    for (Map.Entry<Notifier, CompletableFuture<Void>> delivery : sending) {
      try {
        delivery.getValue().join();
      } catch (CompletionException failed) {
        refusals.add(refusal(delivery.getKey(), failed.getCause()));
        retryable |=
            !(failed.getCause() instanceof DeliveryException refused) || refused.retryable();
      }
    }
    if (!refusals.isEmpty()) {
      String message =
          "notice "
              + WebhookNotifier.id(notice)
              + " not delivered to "
              + refusals.size()
              + " of "
              + sending.size()
              + " webhook(s): "
              + String.join("; ", refusals);
      log.warn(message);
      throw (retryable ? RotationErrors.NOTIFICATION_FAILED : RotationErrors.NOTIFICATION_REFUSED)
          .failure(message);
    }
  }

  private static String refusal(Notifier webhook, Throwable cause) {
    // Only DeliveryException messages are known to be free of credentials.
    return cause instanceof DeliveryException refused
        ? refused.getMessage()
        : webhook.name() + " failed (" + cause.getClass().getSimpleName() + ")";
  }

  private static List<Notifier> webhooks(NotificationConfig config) {
    HttpClient http = WebhookNotifier.httpClient();
    List<Notifier> webhooks = new ArrayList<>();
    for (WebhookConfig webhook : config.webhooks()) {
      webhooks.add(new WebhookNotifier(webhook, http));
    }
    return webhooks;
  }
}
