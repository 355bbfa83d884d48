package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.worker.rotation.Faults.When;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.activities.VerificationActivities;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure in each phase that changes something: the compensations run in reverse and leave the
 * store, the keyring and the data on the old versions, every item decryptable.
 */
class FailureInjectionTest {

  private static final List<String> SECRETS = List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void aFailureAfterCreateVersion_discardsTheNewVersions(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationStatus end =
        rollBack(
            env,
            client,
            options,
            worker,
            "fail-create",
            testbed ->
                Faults.failing(
                    SecretActivities.class,
                    (SecretActivities) RotationTests.real(testbed, SecretActivities.class),
                    "createVersion",
                    When.AFTER,
                    args -> true,
                    1),
            new Operator(client, "fail-create").approves(GateName.PROCEED, "bob"));

    assertThat(end.compensations())
        .extracting(CompensationView::phase, CompensationView::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Phase.CREATE_VERSION, CompensationState.DONE));
  }

  @Test
  void aRestartThatNeverBecomesReady_revertsTheKeyringAndTheVersions(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationStatus end =
        rollBack(
            env,
            client,
            options,
            worker,
            "fail-restart",
            testbed -> null,
            new Operator(client, "fail-restart")
                .approves(GateName.PROCEED, "bob")
                .restartNotReady(n -> n == 1));

    assertThat(end.failure()).startsWith("RESTART_FAILED");
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    assertThat(end.compensations())
        .extracting(CompensationView::phase)
        .containsExactly(
            Phase.CREATE_VERSION, Phase.CREATE_VERSION, Phase.CREATE_VERSION, Phase.DISTRIBUTE);
  }

  @Test
  void
      aFailureAfterPromote_waitsForAKnowingRollback_thenMovesCurrentBackAndReencryptsNothingLeftBehind(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    RotationStatus end =
        rollBack(
            env,
            client,
            options,
            worker,
            "fail-promote",
            testbed ->
                Faults.failing(
                    SecretActivities.class,
                    (SecretActivities) RotationTests.real(testbed, SecretActivities.class),
                    "promote",
                    When.AFTER,
                    args -> true,
                    1),
            new Operator(client, "fail-promote")
                .approves(GateName.PROCEED, "bob")
                .decides(ResumeAction.ROLLBACK));

    assertThat(end.failure())
        .contains("rolled back onto a version suspected compromised by olivia, knowingly");
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    assertThat(end.compensations()).extracting(CompensationView::phase).contains(Phase.PROMOTE);
  }

  @Test
  void aReencryptionFailureRolledBackByTheOperator_runsTheReverseReencryption(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationStatus end =
        rollBack(
            env,
            client,
            options,
            worker,
            "fail-reencrypt",
            testbed ->
                Faults.failing(
                    ReencryptActivities.class,
                    (ReencryptActivities) RotationTests.real(testbed, ReencryptActivities.class),
                    "reencryptShard",
                    When.AFTER,
                    args ->
                        ((ReencryptActivities.ShardRequest) args[0]).shard().index() == 1
                            && ((ReencryptActivities.ShardRequest) args[0])
                                .sourceVersionIds()
                                .isEmpty(),
                    1),
            new Operator(client, "fail-reencrypt")
                .approves(GateName.PROCEED, "bob")
                .decides(ResumeAction.ROLLBACK));

    assertThat(end.failure()).startsWith("ROLLED_BACK_BY_OPERATOR");
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
  }

  @Test
  void aFailedSmokeTest_rollsEverythingBackOnceSomeoneChoosesIt(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationStatus end =
        rollBack(
            env,
            client,
            options,
            worker,
            "fail-smoke",
            testbed ->
                Faults.failing(
                    VerificationActivities.class,
                    (VerificationActivities)
                        RotationTests.real(testbed, VerificationActivities.class),
                    "smokeTest",
                    When.BEFORE),
            new Operator(client, "fail-smoke")
                .approves(GateName.PROCEED, "bob")
                .decides(ResumeAction.ROLLBACK));

    Histories.recordIfAsked(client, "fail-smoke", "smoke-test-rolled-back");
    assertThat(end.failure()).startsWith("ROLLED_BACK_BY_OPERATOR");
    assertThat(end.timeline()).anySatisfy(e -> assertThat(e.detail()).startsWith(Faults.TYPE));
    assertThat(end.compensations()).hasSize(3 + 1 + (2 + 3) + 1);
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
  }

  /** Descriptions of the compensations, in the order the timeline says they ran. */
  static List<String> undoneInOrder(RotationStatus end) {
    return end.timeline().stream()
        .filter(e -> e.outcome() == TimelineOutcome.COMPENSATED)
        .filter(e -> e.actor().equals(TimelineEntry.SYSTEM_ACTOR))
        .map(TimelineEntry::detail)
        .filter(d -> end.compensations().stream().anyMatch(c -> c.description().equals(d)))
        .toList();
  }

  private static List<String> reversed(List<String> registered) {
    List<String> copy = new java.util.ArrayList<>(registered);
    java.util.Collections.reverse(copy);
    return copy;
  }

  /**
   * Runs a rotation of all three secrets with {@code fault} in place of a real activity, lets
   * {@code operator} answer, and checks that it rolled back to the old versions.
   */
  private RotationStatus rollBack(
      TestWorkflowEnvironment env,
      WorkflowClient client,
      WorkflowOptions options,
      Worker worker,
      String rotationId,
      Function<Testbed, Object> fault,
      Operator operator)
      throws Exception {
    Testbed testbed = new Testbed(root);
    Object substitute = fault.apply(testbed);
    if (substitute == null) {
      RotationTests.startWorker(env, worker, testbed);
    } else {
      RotationTests.startWorker(env, worker, testbed, substitute);
    }
    Map<String, String> plaintextBefore = testbed.plaintextDigests();

    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency(rotationId, SECRETS.toArray(String[]::new)));
    RotationStatus end;
    try (operator) {
      operator.start();
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(undoneInOrder(end))
        .as("compensations ran in reverse registration order")
        .isEqualTo(
            reversed(end.compensations().stream().map(CompensationView::description).toList()));
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    OldVersions.assertRestored(testbed, rotationId, SECRETS, plaintextBefore);
    return end;
  }
}
