package io.breakglass.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.WebhookConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Notice;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotificationActivitiesImplTest {

  private static final String TOKEN = "tok-7f3a9c-never-log-me";
  private static final Instant NOW = Instant.parse("2026-11-28T09:30:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = WebhookNotifier.httpClient();
  private final List<WebhookReceiver> receivers = new ArrayList<>();
  private final CapturedLogs logs = new CapturedLogs("io.breakglass.activities.notify");

  @AfterEach
  void stop() {
    receivers.forEach(WebhookReceiver::close);
    logs.close();
  }

  @Test
  void givenAWebhook_whenNotified_itReceivesTheJsonBodyAndHeaders() throws Exception {
    WebhookReceiver receiver = receiver();
    activities(webhook(receiver.url("/hook"), List.of(Audience.ON_CALL), TOKEN))
        .notify(notice("started", Audience.ON_CALL, Audience.SECURITY_OFFICER));

    assertThat(receiver.received()).hasSize(1);
    WebhookReceiver.Received request = receiver.received().get(0);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Idempotency-Key")).isEqualTo("rot-42/started");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.get("id").asText()).isEqualTo("rot-42/started");
    assertThat(body.get("rotationId").asText()).isEqualTo("rot-42");
    assertThat(body.get("event").asText()).isEqualTo("started");
    assertThat(body.get("severity").asText()).isEqualTo("WARNING");
    assertThat(body.get("audiences").toString()).isEqualTo("[\"ON_CALL\",\"SECURITY_OFFICER\"]");
    assertThat(body.get("summary").asText())
        .isEqualTo("rotation rot-42: 2 secret(s), 1200 item(s)");
    assertThat(body.get("sentAt").asText()).isEqualTo("2026-11-28T09:30:00Z");
    assertThat(body.size()).isEqualTo(7);
  }

  @Test
  void givenNoToken_itSendsNoAuthorizationHeader() {
    WebhookReceiver receiver = receiver();
    activities(webhook(receiver.url("/hook"), List.of(Audience.ON_CALL), null))
        .notify(notice("started", Audience.ON_CALL));

    assertThat(receiver.received())
        .singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isNull());
  }

  @Test
  void givenWebhooksForOtherAudiences_onlyTheMatchingOnesReceiveTheNotice() {
    WebhookReceiver security = receiver();
    WebhookReceiver customers = receiver();
    WebhookReceiver escalation = receiver();
    NotificationActivitiesImpl activities =
        activities(
            webhook(security.url("/s"), List.of(Audience.SECURITY_OFFICER), null),
            webhook(customers.url("/c"), List.of(Audience.CUSTOMER_SUCCESS), null),
            webhook(escalation.url("/e"), List.of(Audience.ESCALATION, Audience.ON_CALL), null));

    activities.notify(notice("gate-proceed-open", Audience.ON_CALL, Audience.SECURITY_OFFICER));

    assertThat(security.received()).hasSize(1);
    assertThat(customers.received()).isEmpty();
    assertThat(escalation.received()).hasSize(1);
  }

  @Test
  void givenA503_itPostsOnce_andFailsRetryably_leavingTheRetryToTheActivity() {
    WebhookReceiver receiver = receiver(503);
    NotificationActivitiesImpl activities =
        activities(webhook(receiver.url("/hook"), List.of(Audience.ON_CALL), null));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.notify(notice("completed", Audience.ON_CALL)));

    assertThat(receiver.received()).hasSize(1);
    assertThat(failure.getType()).isEqualTo(RotationErrors.NOTIFICATION_FAILED.name());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("answered 503").doesNotContain("attempt");
  }

  @Test
  void givenA400_itPostsOnce_andFailsAsARefusalNoRetryCures() {
    WebhookReceiver receiver = receiver(400);
    NotificationActivitiesImpl activities =
        activities(webhook(receiver.url("/hook"), List.of(Audience.ON_CALL), TOKEN));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.notify(notice("started", Audience.ON_CALL)));

    assertThat(receiver.received()).hasSize(1);
    assertThat(failure.getType()).isEqualTo(RotationErrors.NOTIFICATION_REFUSED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("rot-42/started")
        .contains(receiver.url("/hook") + " answered 400");
  }

  @Test
  void givenARefusalAndAnOutage_theFailureStaysRetryable_soTheOutagedReceiverGetsItsRetry() {
    WebhookReceiver refusing = receiver(400);
    WebhookReceiver down = receiver(503);
    NotificationActivitiesImpl activities =
        activities(
            webhook(refusing.url("/refusing"), List.of(Audience.ON_CALL), null),
            webhook(down.url("/down"), List.of(Audience.ON_CALL), null));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.notify(notice("started", Audience.ON_CALL)));

    assertThat(failure.getType()).isEqualTo(RotationErrors.NOTIFICATION_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("answered 400").contains("answered 503");
  }

  @Test
  void givenOneWebhookFails_theOthersStillReceiveTheNoticeAndTheFailureNamesOnlyTheFailedOne() {
    WebhookReceiver healthy = receiver();
    WebhookReceiver broken = receiver(500);
    NotificationActivitiesImpl activities =
        activities(
            webhook(broken.url("/broken"), List.of(Audience.ON_CALL), null),
            webhook(healthy.url("/healthy"), List.of(Audience.ON_CALL), null));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.notify(notice("started", Audience.ON_CALL)));

    assertThat(healthy.received()).hasSize(1);
    assertThat(broken.received()).hasSize(1);
    assertThat(failure.getOriginalMessage())
        .contains("not delivered to 1 of 2 webhook(s)")
        .contains(broken.url("/broken") + " answered 500")
        .doesNotContain("/healthy");
  }

  @Test
  void givenNobodyListens_itFailsRetryablyAsUnreachable() {
    WebhookReceiver gone = receiver();
    URI url = gone.url("/hook");
    gone.close();

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities(webhook(url, List.of(Audience.ON_CALL), null))
                    .notify(notice("started", Audience.ON_CALL)));

    assertThat(failure.getType()).isEqualTo(RotationErrors.NOTIFICATION_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains(url + " unreachable (");
  }

  @Test
  void givenAFailingWebhookWithCredentials_theyAppearInNoFailureAndNoLogLine() {
    WebhookReceiver receiver = receiver(503);
    URI urlWithSecretQuery = URI.create(receiver.url("/hook") + "?key=" + TOKEN);
    NotificationActivitiesImpl activities =
        activities(webhook(urlWithSecretQuery, List.of(Audience.ON_CALL), TOKEN));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.notify(notice("started", Audience.ON_CALL)));

    assertThat(receiver.received())
        .singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN));
    assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("answered 503"));
    assertTokenAbsent(failure.getOriginalMessage());
    assertTokenAbsent(failure.toString());
    logs.lines().forEach(NotificationActivitiesImplTest::assertTokenAbsent);
  }

  @Test
  void negativeControl_theTokenCheckFailsWhenTheTokenLeaks() {
    assertThatThrownBy(() -> assertTokenAbsent("webhook answered 401 to Bearer " + TOKEN))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void everyNoticeIsLoggedOnceWithItsIdsAtALevelMatchingItsSeverity() {
    activities()
        .notify(
            new Notice(
                "rot-42", "halted-3", List.of(Audience.ESCALATION), Severity.CRITICAL, "halted"));

    assertThat(logs.lines())
        .containsExactly(
            "ERROR io.breakglass.activities.notify.LogNotifier - notice rotationId=rot-42"
                + " event=halted-3 severity=CRITICAL audiences=[ESCALATION] summary=halted");
  }

  @Test
  void givenTheConfiguration_itBuildsAWebhookPerEntry() {
    WebhookReceiver receiver = receiver();
    new NotificationActivitiesImpl(
            new NotificationConfig(
                List.of(new WebhookConfig(receiver.url("/hook"), List.of(Audience.ON_CALL), null))))
        .notify(notice("started", Audience.ON_CALL));

    assertThat(receiver.received()).hasSize(1);
  }

  private static void assertTokenAbsent(String text) {
    assertThat(text).doesNotContain(TOKEN);
  }

  private WebhookReceiver receiver(Integer... statuses) {
    WebhookReceiver receiver = new WebhookReceiver(statuses);
    receivers.add(receiver);
    return receiver;
  }

  private WebhookNotifier webhook(URI url, List<Audience> audiences, String token) {
    return new WebhookNotifier(
        new WebhookConfig(url, audiences, token), http, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static NotificationActivitiesImpl activities(Notifier... webhooks) {
    return new NotificationActivitiesImpl(new LogNotifier(), List.of(webhooks));
  }

  private static Notice notice(String event, Audience... audiences) {
    return new Notice(
        "rot-42",
        event,
        List.of(audiences),
        Severity.WARNING,
        "rotation rot-42: 2 secret(s), 1200 item(s)");
  }
}
