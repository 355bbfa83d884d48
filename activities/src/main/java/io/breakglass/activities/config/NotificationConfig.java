package io.breakglass.activities.config;

import jakarta.validation.Valid;
import java.util.List;

/**
 * Where notices go. The log channel is always on; webhooks are optional.
 *
 * @param webhooks webhook receivers, each sent a notice once per activity attempt
 * @param tracker the incident tracker that receives each ended rotation and the ticket for the next
 *     routine rotation; null: none
 */
public record NotificationConfig(
    @Valid List<WebhookConfig> webhooks, @Valid TrackerConfig tracker) {

  public NotificationConfig {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
  }

  /** Webhooks without an incident tracker. */
  public NotificationConfig(List<WebhookConfig> webhooks) {
    this(webhooks, null);
  }

  /** The log channel only. */
  public static NotificationConfig logOnly() {
    return new NotificationConfig(List.of(), null);
  }
}
