package io.breakglass.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.audit.NextRotation;
import io.breakglass.activities.schedule.RoutineScheduleActivitiesImpl;
import io.breakglass.worker.embedded.RealTemporal;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.RotationTests;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.RoutineRotationWorkflow;
import io.breakglass.workflows.RoutineSchedule;
import io.breakglass.workflows.ScheduledRoutineRotationWorkflow;
import io.breakglass.workflows.ScheduledRoutineStart;
import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.breakglass.workflows.activities.RoutineScheduleActivities.RoutineScheduleRequest;
import io.breakglass.workflows.activities.RoutineScheduleActivities.ScheduleOutcome;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routine rotations as Temporal Schedules on the real server ({@code temporal server start-dev}),
 * with the dev stack's worker and approvals that require proofs: a schedule fires at its due date
 * by itself, and on a trigger, each time starting a ROUTINE rotation that reaches its first gate
 * without an initiator proof; a paused schedule does not fire by its interval and stays paused when
 * a rotation moves it; a client that poses as the schedule (the scheduler's name, Temporal's
 * scheduled-by search attribute, a firing's workflow id) starts nothing. One server for the class.
 */
class RoutineScheduleRealServerTest {

  private static final DevStack.DemoSize SMALL = new DevStack.DemoSize(100, 4, 1_024);

  /** What {@code breakglass approval keygen} prints for an Ed25519 key: proofs are required. */
  private static final String PUBLIC_KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  /**
   * Configured nowhere: its rotation fails at PLAN, which is all the paused-schedule test needs.
   */
  private static final String UNCONFIGURED = "paused-example";

  private static final Duration EVERY = Duration.ofDays(90);

  @TempDir static Path data;
  private static DevStack stack;
  private static RoutineScheduleActivities activities;
  private static ScheduleClient schedules;

  @BeforeAll
  static void startStack() throws Exception {
    RealTemporal.cliOrSkip();
    DevLayout layout = new DevLayout(data);
    Files.createDirectories(layout.root());
    Files.writeString(
        layout.approvals(),
        "{\"allowUnsigned\": false, \"keys\": {\"bob\": {\"bob-1\": \"" + PUBLIC_KEY + "\"}}}");
    stack =
        DevStack.start(
            layout, new DevTemporal(DevTemporal.Mode.REAL, 0, 0, null), 0, SMALL, quiet(), false);
    activities = new RoutineScheduleActivitiesImpl(stack::client);
    schedules = scheduleClient(stack.client());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void
      aScheduleFiresByItselfAtTheDueDate_andItsFiringStartsARoutineRotationThatWaitsAtTheFirstGate()
          throws Exception {
    Instant due = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);

    ScheduleOutcome outcome =
        activities.upsertRoutineSchedule(request(DevSettings.OPENAI, due, EVERY, "r-before"));

    assertThat(outcome.serverHasSchedules()).isTrue();
    ScheduleHandle handle =
        schedules.getHandle(RoutineScheduleActivities.scheduleId(DevSettings.OPENAI));
    assertThat(handle.describe().getInfo().getNextActionTimes()).first().isEqualTo(due);
    assertThat(handle.describe().getInfo().getNextActionTimes().get(1)).isEqualTo(due.plus(EVERY));
    ScheduleDescription fired =
        await(
            handle::describe,
            d -> !d.getInfo().getRecentActions().isEmpty(),
            Duration.ofSeconds(30));
    assertThat(fired.getInfo().getRecentActions())
        .singleElement()
        .satisfies(firing -> assertThat(firing.getScheduledAt()).isEqualTo(due));

    RotationStatus rotation = awaitRoutineRotationAtGate(DevSettings.OPENAI);
    assertThat(rotation.initiatorVerification())
        .startsWith(
            "verified: started by its routine schedule routine-rotation-openai (Temporal Schedule firing"
                + " routine-rotation-openai-"
                + due
                + ")");
  }

  @Test
  void aTriggeredSchedule_startsARoutineRotation_theScheduleIsListed_andItReplacesTheDurableTimer()
      throws Exception {
    String secret = DevSettings.JWT;
    WorkflowStub timer = startDurableTimer(secret, Instant.now().plus(Duration.ofDays(30)));

    activities.upsertRoutineSchedule(
        request(secret, Instant.now().plus(Duration.ofDays(30)), EVERY, "r-before"));

    assertThat(timer.describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    String scheduleId = RoutineScheduleActivities.scheduleId(secret);
    assertThat(await(this::listedByTheCli, ids -> ids.contains(scheduleId), Duration.ofSeconds(30)))
        .contains(scheduleId);
    ScheduleHandle handle = schedules.getHandle(scheduleId);
    assertThat(handle.describe().getSchedule().getState().getNote())
        .contains("set by rotation r-before");

    handle.trigger();

    RotationStatus rotation = awaitRoutineRotationAtGate(secret);
    assertThat(rotation.initiator()).isEqualTo(RoutineRotationWorkflow.SCHEDULER);
    assertThat(rotation.initiatorVerification())
        .startsWith("verified: started by its routine schedule " + scheduleId);
    ScheduleActionExecutionStartWorkflow firing =
        (ScheduleActionExecutionStartWorkflow)
            handle.describe().getInfo().getRecentActions().get(0).getAction();
    assertThat(ScheduledRoutineRotationWorkflow.isFiringOf(secret, firing.getWorkflowId()))
        .isTrue();
    assertThat(stack.client().newUntypedWorkflowStub(firing.getWorkflowId()).describe().getStatus())
        .as("the firing runs until its rotation ends")
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  @Test
  void aPausedSchedule_doesNotFireByItsInterval_staysPausedWhenMoved_andFiresOnlyWhenTriggered()
      throws Exception {
    String scheduleId = RoutineScheduleActivities.scheduleId(UNCONFIGURED);
    activities.upsertRoutineSchedule(
        request(UNCONFIGURED, Instant.now().plus(Duration.ofDays(1)), EVERY, "r-before"));
    ScheduleHandle handle = schedules.getHandle(scheduleId);
    handle.pause("held by an operator for the audit");
    // The pause reaches the schedule's own workflow as a signal; as with an operator's pause taken
    // long before a rotation ends, the move comes once a read shows it
    // (docs/operator/schedules.md).
    await(handle::describe, d -> d.getSchedule().getState().isPaused(), Duration.ofSeconds(10));
    Instant due = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);

    ScheduleOutcome moved =
        activities.upsertRoutineSchedule(request(UNCONFIGURED, due, EVERY, "r-moved"));
    Duration pastDue = Duration.between(Instant.now(), due.plusSeconds(4));
    Awaitility.await("no firing while paused, until past the due time")
        .during(pastDue)
        .atMost(pastDue.plusSeconds(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> handle.describe().getInfo().getNumActions() == 0);

    ScheduleDescription paused = handle.describe();
    assertThat(moved.paused()).isTrue();
    assertThat(moved.detail()).contains("stays paused");
    assertThat(paused.getSchedule().getState().isPaused()).isTrue();
    assertThat(paused.getSchedule().getState().getNote())
        .isEqualTo("held by an operator for the audit");
    assertThat(paused.getInfo().getNumActions()).as("due while paused: no firing").isZero();

    handle.trigger();

    ScheduleDescription triggered =
        await(handle::describe, d -> d.getInfo().getNumActions() == 1, Duration.ofSeconds(30));
    assertThat(triggered.getInfo().getNumActions())
        .as("negative control: a trigger fires a paused schedule")
        .isEqualTo(1);
    assertThat(triggered.getSchedule().getState().isPaused()).isTrue();
  }

  @Test
  void aClientPosingAsTheSchedule_startsNoRotation_whateverItsNameIdOrSearchAttributes() {
    String secret = DevSettings.PAYLOAD_KEY;
    activities.upsertRoutineSchedule(
        request(secret, Instant.now().plus(Duration.ofDays(30)), EVERY, "r-before"));
    WorkflowClient client = stack.client();
    WorkflowStub posing =
        RotationTests.start(
            client,
            WorkflowOptions.newBuilder()
                .setTaskQueue(stack.taskQueue())
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(
                            SearchAttributeKey.forKeyword("TemporalScheduledById"),
                            RoutineScheduleActivities.scheduleId(secret))
                        .build())
                .setMemo(Map.of("scheduledBy", RoutineScheduleActivities.scheduleId(secret)))
                .build(),
            new RotationRequest(
                "posing-as-schedule",
                List.of(secret),
                RotationKind.ROUTINE,
                RoutineRotationWorkflow.SCHEDULER,
                "pretends to be the schedule",
                null,
                null));
    String forgedFiringId = RoutineScheduleActivities.scheduleId(secret) + "-2026-01-01T00:00:00Z";
    WorkflowStub forgedFiring =
        client.newUntypedWorkflowStub(
            "ScheduledRoutineRotationWorkflow",
            WorkflowOptions.newBuilder()
                .setTaskQueue(stack.taskQueue())
                .setWorkflowId(forgedFiringId)
                .build());
    forgedFiring.start(new ScheduledRoutineStart(secret));

    ApplicationFailure posed = failureOf(posing);
    ApplicationFailure forged = failureOf(forgedFiring);

    assertThat(
            stack
                .client()
                .newUntypedWorkflowStub(RotationWorkflow.workflowId("posing-as-schedule"))
                .describe()
                .getTypedSearchAttributes()
                .get(SearchAttributeKey.forKeyword("TemporalScheduledById")))
        .as("the server let the client set the scheduled-by attribute: it proves nothing")
        .isEqualTo(RoutineScheduleActivities.scheduleId(secret));
    assertThat(posed.getType()).isEqualTo(RotationErrors.UNVERIFIED_INITIATOR.name());
    assertThat(posed.getOriginalMessage())
        .contains("initiator breakglass-scheduler is not verified: a proof is required");
    assertThat(forged.getType()).isEqualTo(RotationErrors.UNVERIFIED_INITIATOR.name());
    assertThat(forged.getOriginalMessage())
        .contains(forgedFiringId + " was not started by schedule routine-rotation-" + secret)
        .contains("does not name run");
    assertThat(routineRotationsOf(secret))
        .as("the forged firing started no rotation")
        .allMatch(id -> id.equals(RotationWorkflow.workflowId("posing-as-schedule")));
  }

  /** The completed rotation's next routine date, as the schedule of {@code secret} will fire it. */
  static Instant nextFiring(DevStack stack, String secret) {
    return scheduleClient(stack.client())
        .getHandle(RoutineScheduleActivities.scheduleId(secret))
        .describe()
        .getInfo()
        .getNextActionTimes()
        .get(0);
  }

  /**
   * The next routine date Breakglass recorded for {@code secret}, to the second a schedule fires.
   */
  static Instant recordedDue(DevStack stack, String secret) {
    Instant due =
        stack.history().nextRotations().stream()
            .filter(next -> next.secret().equals(secret))
            .map(NextRotation::dueAt)
            .findFirst()
            .orElseThrow();
    return due.getNano() == 0 ? due : due.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
  }

  private static RoutineScheduleRequest request(
      String secret, Instant due, Duration every, String lastRotationId) {
    return new RoutineScheduleRequest(secret, due, every, lastRotationId, stack.taskQueue());
  }

  private static WorkflowStub startDurableTimer(String secret, Instant due) {
    RoutineRotationWorkflow timer =
        stack
            .client()
            .newWorkflowStub(
                RoutineRotationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(stack.taskQueue())
                    .setWorkflowId(RoutineRotationWorkflow.workflowId(secret))
                    .build());
    WorkflowClient.start(timer::run, new RoutineSchedule(secret, due, "r-timer"));
    return WorkflowStub.fromTyped(timer);
  }

  /** The ROUTINE rotation of {@code secret}, once it waits at its first gate. */
  private static RotationStatus awaitRoutineRotationAtGate(String secret) throws Exception {
    List<String> found =
        await(() -> routineRotationsOf(secret), ids -> !ids.isEmpty(), Duration.ofSeconds(60));
    assertThat(found).hasSize(1);
    String rotationId = found.get(0).substring("rotation-".length());
    try (Operator watcher = new Operator(stack.client(), rotationId).start()) {
      RotationStatus status =
          watcher.awaitStatus(
              s -> s.state() == RotationState.AWAITING_APPROVAL, Duration.ofMinutes(2));
      assertThat(status.phase()).isEqualTo(Phase.GATE_PROCEED);
      assertThat(status.kind()).isEqualTo(RotationKind.ROUTINE);
      return status;
    }
  }

  private static List<String> routineRotationsOf(String secret) {
    return stack
        .client()
        .listExecutions(
            "WorkflowType='RotationWorkflow' AND BreakglassKind='ROUTINE' AND BreakglassSecrets='"
                + secret
                + "'")
        .map(e -> e.getExecution().getWorkflowId())
        .toList();
  }

  /** {@code temporal schedule list}, as an operator runs it: the schedule ids it prints. */
  private List<String> listedByTheCli() {
    try {
      Path cli = RealTemporal.cliOrSkip();
      Process list =
          new ProcessBuilder(
                  cli.toString(),
                  "schedule",
                  "list",
                  "--address",
                  stack.temporalTarget(),
                  "--namespace",
                  stack.temporalConfig().namespace(),
                  "--output",
                  "json")
              .redirectErrorStream(true)
              .start();
      String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      list.waitFor(30, TimeUnit.SECONDS);
      return out.lines()
          .filter(line -> line.contains("\"scheduleId\""))
          .map(line -> line.replaceAll(".*\"scheduleId\"\\s*:\\s*\"([^\"]+)\".*", "$1"))
          .toList();
    } catch (Exception e) {
      throw new AssertionError("temporal schedule list failed", e);
    }
  }

  private static ApplicationFailure failureOf(WorkflowStub stub) {
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> stub.getResult(90, TimeUnit.SECONDS, Object.class));
    assertThat(failed).as("the workflow must fail").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failed.getCause();
  }

  private static <T> T await(Supplier<T> read, Predicate<T> done, Duration timeout) {
    return Awaitility.await()
        .dontCatchUncaughtExceptions()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(read::get, done);
  }

  private static ScheduleClient scheduleClient(WorkflowClient client) {
    return ScheduleClient.newInstance(
        client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter())
            .build());
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
