package io.breakglass.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.config.WebhookConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.NotificationActivities;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Notice;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The notice activity under Temporal's retry policy (time-skipping test server, a real loopback
 * receiver): a receiver that keeps failing gets exactly one POST per activity attempt, so the
 * policy's maximum attempts is the most it ever gets; a refusal ends the attempts at once.
 */
public class WebhookDeliveryAttemptsTest {

  private static final String QUEUE = "notices";
  private static final int ATTEMPTS = 3;

  /** A workflow that sends one notice through an activity stub with {@value #ATTEMPTS} attempts. */
  @WorkflowInterface
  public interface SendsANotice {
    @WorkflowMethod
    void send(Notice notice);
  }

  public static class SendsANoticeImpl implements SendsANotice {
    private final NotificationActivities notifications =
        Workflow.newActivityStub(
            NotificationActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumAttempts(ATTEMPTS)
                        .build())
                .build());

    @Override
    public void send(Notice notice) {
      notifications.notify(notice);
    }
  }

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private WebhookReceiver receiver;

  @AfterEach
  void stop() {
    env.close();
    receiver.close();
  }

  @Test
  void aReceiverThatKeepsFailing_getsOnePostPerActivityAttempt_andNoMore() {
    receiver = new WebhookReceiver(503, 503, 503, 503, 503, 503, 503, 503, 503);

    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, this::send);

    assertThat(receiver.received()).hasSize(ATTEMPTS);
    assertThat(type(failed)).isEqualTo(RotationErrors.NOTIFICATION_FAILED.name());
  }

  /** The negative control: the retries are real; a receiver that recovers gets the notice. */
  @Test
  void aReceiverThatRecovers_getsTheNoticeOnALaterAttempt() {
    receiver = new WebhookReceiver(503);

    send();

    assertThat(receiver.received())
        .hasSize(2)
        .extracting(r -> r.header("Idempotency-Key"))
        .containsOnly("rot-7/started");
  }

  @Test
  void aReceiverThatRefuses_getsOnePostInAll() {
    receiver = new WebhookReceiver(400, 400, 400);

    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, this::send);

    assertThat(receiver.received()).hasSize(1);
    assertThat(type(failed)).isEqualTo(RotationErrors.NOTIFICATION_REFUSED.name());
  }

  private void send() {
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(SendsANoticeImpl.class);
    worker.registerActivitiesImplementations(
        new NotificationActivitiesImpl(
            new LogNotifier(),
            List.of(
                new WebhookNotifier(
                    new WebhookConfig(receiver.url("/hook"), List.of(Audience.ON_CALL), null),
                    WebhookNotifier.httpClient()))));
    env.start();
    env.getWorkflowClient()
        .newWorkflowStub(
            SendsANotice.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build())
        .send(
            new Notice("rot-7", "started", List.of(Audience.ON_CALL), Severity.WARNING, "started"));
  }

  private static String type(WorkflowFailedException failed) {
    assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
    return ((ApplicationFailure) failed.getCause().getCause()).getType();
  }
}
