package io.breakglass.activities.config;

import jakarta.validation.Valid;
import java.util.List;

/**
 * Where notices go. The log channel is always on; webhooks are optional.
 *
 * @param webhooks webhook receivers
 * @param attempts delivery attempts per webhook within one activity attempt (default 3)
 * @param tracker the incident tracker that receives each ended rotation and the ticket for the
 *     next routine rotation; null: none
 */
public record NotificationConfig(
    @Valid List<WebhookConfig> webhooks, int attempts, @Valid TrackerConfig tracker) {

  public NotificationConfig {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    attempts = attempts == 0 ? 3 : attempts;
  }

  /** Webhooks without an incident tracker. */
  public NotificationConfig(List<WebhookConfig> webhooks, int attempts) {
    this(webhooks, attempts, null);
  }

  /** The log channel only. */
  public static NotificationConfig logOnly() {
    return new NotificationConfig(List.of(), 0, null);
  }
}
