package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedRotation.entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How often a rotation tries a notice: the notice activity delivers once per attempt, and the
 * rotation's retry policy allows five attempts, so a receiver that keeps failing gets a notice five
 * times at most (a refusal once); either way the rotation goes on with a FAILED timeline entry.
 */
class NoticeDeliveryTest {

  private static final int DELIVERY_ATTEMPTS = 5;

  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedRotation rotation = new ScriptedRotation(activities);

  @AfterEach
  void close() {
    rotation.close();
  }

  @Test
  void aNoticeThatKeepsFailing_isTriedFiveTimes_thenRecorded_andTheRotationGoesOn() {
    activities.undeliverable.add("started");
    rotation.start(RotationKind.ROUTINE);
    // Lets the server skip the retry backoff (1 + 2 + 4 + 8 s).
    rotation.env.sleep(Duration.ofMinutes(1));

    RotationStatus atGate = rotation.awaitGate(GateName.PROCEED);

    assertThat(activities.deliveryAttempts.stream().filter("started"::equals))
        .hasSize(DELIVERY_ATTEMPTS);
    assertThat(entries(atGate, TimelineOutcome.FAILED))
        .singleElement()
        .satisfies(
            e -> assertThat(e).startsWith("notice started not delivered: NOTIFICATION_FAILED"));
  }

  @Test
  void aRefusedNotice_isTriedOnce() {
    activities.refusedNotices.add("started");
    rotation.start(RotationKind.ROUTINE);

    RotationStatus atGate = rotation.awaitGate(GateName.PROCEED);

    assertThat(activities.deliveryAttempts.stream().filter("started"::equals)).hasSize(1);
    assertThat(entries(atGate, TimelineOutcome.FAILED))
        .singleElement()
        .satisfies(
            e -> assertThat(e).startsWith("notice started not delivered: NOTIFICATION_REFUSED"));
  }

  /** The negative control: a notice that is accepted is sent once and records nothing. */
  @Test
  void aDeliveredNotice_isSentOnce() {
    rotation.start(RotationKind.ROUTINE);

    RotationStatus atGate = rotation.awaitGate(GateName.PROCEED);

    assertThat(activities.deliveryAttempts.stream().filter("started"::equals)).hasSize(1);
    assertThat(entries(atGate, TimelineOutcome.FAILED)).isEmpty();
  }
}
