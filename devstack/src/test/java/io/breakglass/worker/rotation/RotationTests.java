package io.breakglass.worker.rotation;

import com.uber.m3.tally.Scope;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.ReencryptDataSetWorkflowImpl;
import io.breakglass.workflows.RevokeRecoveryWorkflowImpl;
import io.breakglass.workflows.RotationSearchAttributes;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.RotationWorkflowImpl;
import io.breakglass.workflows.RoutineRotationWorkflowImpl;
import io.breakglass.workflows.activities.NotificationActivities;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.values.RotationKind;
import io.temporal.activity.ActivityInterface;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the rotation tests share: the extension, requests, and activity lists with substitutes. */
public final class RotationTests {

  private RotationTests() {}

  /** Real workflows on the time-skipping test server; activities are registered per test. */
  public static TestWorkflowExtension extension() {
    return builder().build();
  }

  /** {@link #extension()} with the SDK's and the workflows' metrics reported to {@code metrics}. */
  public static TestWorkflowExtension extension(Scope metrics) {
    return builder().setMetricsScope(metrics).build();
  }

  private static TestWorkflowExtension.Builder builder() {
    return builder(WorkflowImplementationOptions.getDefaultInstance());
  }

  /** The builder of {@link #extension()}, with the workflows registered under {@code options}. */
  static TestWorkflowExtension.Builder builder(WorkflowImplementationOptions options) {
    TestWorkflowExtension.Builder builder = TestWorkflowExtension.newBuilder();
    RotationSearchAttributes.ALL.forEach(
        key -> builder.registerSearchAttribute(key.getName(), key.getValueType()));
    return builder
        .registerWorkflowImplementationTypes(
            options,
            RotationWorkflowImpl.class,
            ReencryptDataSetWorkflowImpl.class,
            RoutineRotationWorkflowImpl.class,
            RevokeRecoveryWorkflowImpl.class)
        .setWorkflowClientOptions(
            WorkflowClientOptions.newBuilder()
                .setDataConverter(BreakglassDataConverter.create())
                .build())
        .setDoNotStart(true);
  }

  public static RotationRequest emergency(String rotationId, String... secrets) {
    return new RotationRequest(
        rotationId,
        List.of(secrets),
        RotationKind.EMERGENCY,
        "alice",
        "key seen in a support ticket",
        null,
        null);
  }

  /** Starts the rotation and returns its untyped stub (for the final result). */
  public static WorkflowStub start(
      WorkflowClient client, WorkflowOptions options, RotationRequest request) {
    RotationWorkflow rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder(options)
                .setWorkflowId(RotationWorkflow.workflowId(request.rotationId()))
                .build());
    WorkflowClient.start(rotation::rotate, request);
    return WorkflowStub.fromTyped(rotation);
  }

  /** Registers the testbed's activities (with {@code substitutes}) and starts the test server. */
  public static void startWorker(
      TestWorkflowEnvironment env, Worker worker, Testbed testbed, Object... substitutes) {
    worker.registerActivitiesImplementations(activities(testbed, substitutes).toArray());
    env.start();
  }

  /**
   * The testbed's activities with each of {@code substitutes} in place of the real implementation
   * of the same activity interface.
   */
  static List<Object> activities(Testbed testbed, Object... substitutes) {
    List<Object> activities = new ArrayList<>(testbed.activities.activities());
    for (Object substitute : substitutes) {
      Class<?> type = activityInterface(substitute);
      activities.removeIf(real -> activityInterface(real) == type);
      activities.add(substitute);
    }
    return activities;
  }

  /** The real notification activities of the testbed, recording what they send. */
  static RecordingNotifications recording(Testbed testbed) {
    return new RecordingNotifications(
        (NotificationActivities) real(testbed, NotificationActivities.class));
  }

  static Object real(Testbed testbed, Class<?> type) {
    return testbed.activities.activities().stream()
        .filter(a -> activityInterface(a) == type)
        .findFirst()
        .orElseThrow();
  }

  private static Class<?> activityInterface(Object implementation) {
    return Arrays.stream(implementation.getClass().getInterfaces())
        .filter(i -> i.isAnnotationPresent(ActivityInterface.class))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(implementation + " implements no activity interface"));
  }
}
