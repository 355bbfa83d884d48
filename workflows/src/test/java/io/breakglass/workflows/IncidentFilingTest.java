package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedActivities.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.activities.IncidentTrackerActivities.Incident;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incident a rotation files with the tracker when it ends, with its follow-up actions. */
class IncidentFilingTest {

  private static final String QUEUE = "breakglass-rotation";

  private final ScriptedActivities activities = new ScriptedActivities();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private RotationWorkflow rotation;

  @BeforeEach
  void startServer() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    io.temporal.client.WorkflowClientOptions.newBuilder()
                        .setDataConverter(BreakglassDataConverter.create())
                        .build())
                .build());
    RotationSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        RotationWorkflowImpl.class, RoutineRotationWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopServer() {
    TestServers.close(env);
  }

  @Test
  void aCompletedEmergencyRotation_filesItsIncident_followUps_andTheNextRotationTicket() {
    start(RotationKind.EMERGENCY);
    decide(GateName.PROCEED, Verdict.APPROVE);
    decide(GateName.REVOKE, Verdict.APPROVE);
    WorkflowStub.fromTyped(rotation).getResult(Object.class);

    assertThat(activities.incidents).hasSize(1);
    Incident incident = activities.incidents.get(0);
    assertThat(incident.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(incident.secrets()).containsExactly(SECRET);
    assertThat(incident.approvers()).contains("bob");
    assertThat(incident.startedAt()).isBeforeOrEqualTo(incident.endedAt());
    assertThat(incident.followUps())
        .anySatisfy(f -> assertThat(f).startsWith("confirm the automation tickets are regenerated"))
        .anySatisfy(
            f ->
                assertThat(f)
                    .startsWith("review access logs for the suspected key: " + SECRET + " v-old"));
    assertThat(incident.nextRotation().secrets()).containsExactly(SECRET);
    assertThat(incident.nextRotation().tasks()).containsExactly(FollowUps.REGENERATE_TICKETS);
  }

  @Test
  void aRejectedRotation_filesAFailedIncident_withoutATicket() {
    start(RotationKind.ROUTINE);
    decide(GateName.PROCEED, Verdict.REJECT);
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !activities.incidents.isEmpty());

    Incident incident = activities.incidents.get(0);
    assertThat(incident.state()).isIn(RotationState.ROLLED_BACK, RotationState.FAILED);
    assertThat(incident.failure()).isNotBlank();
    assertThat(incident.nextRotation()).isNull();
    assertThat(incident.followUps())
        .noneSatisfy(
            f -> assertThat(f).startsWith("confirm the automation tickets are regenerated"));
  }

  private void start(RotationKind kind) {
    String rotationId = "r-" + kind.name().toLowerCase(Locale.ROOT);
    rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            rotationId, List.of(SECRET), kind, "alice", "suspected leak", null, null));
  }

  private void decide(GateName gate, Verdict verdict) {
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == gate);
    rotation.decide(new GateDecision(gate, verdict, "bob", "checked"));
  }

  private void awaitStatus(Predicate<RotationStatus> condition) {
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(30))
        .until(() -> condition.test(rotation.status()));
  }
}
