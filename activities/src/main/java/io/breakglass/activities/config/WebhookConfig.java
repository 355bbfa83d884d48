package io.breakglass.activities.config;

import io.breakglass.workflows.activities.NotificationActivities.Audience;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;

/**
 * A webhook that receives notices as JSON POSTs.
 *
 * @param url where to POST
 * @param audiences which notices it receives
 * @param bearerToken optional token sent as {@code Authorization: Bearer}; never logged
 */
public record WebhookConfig(
    @NotNull URI url, @NotEmpty List<Audience> audiences, String bearerToken) {

  @Override
  public String toString() {
    return "WebhookConfig[url=" + url + ", audiences=" + audiences + "]";
  }
}
