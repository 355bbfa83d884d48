package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CancellationAndHaltTest {

  private static final List<String> SECRETS = List.of(ARTIFACT_KEY, PAYLOAD_KEY);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void cancellingDuringReencryption_waitsForShardsInFlight_thenRunsEveryCompensation(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = withSlowShards(env, worker, 300);
    Map<String, String> before = testbed.plaintextDigests();

    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency("cancel", ARTIFACT_KEY, PAYLOAD_KEY));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "cancel").approves(GateName.PROCEED, "bob").start()) {
      operator.awaitStatus(
          s ->
              s.phase() == Phase.REENCRYPT
                  && s.progress().stream().anyMatch(p -> p.shardsDone() > 0),
          Duration.ofMinutes(1));
      stub.cancel();
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    OldVersions.assertRestored(testbed, "cancel", SECRETS, before);
  }

  @Test
  void cancellingWhileCreateVersionIsInFlight_waitsForIt_thenDiscardsItsVersion_leavingNoPending(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    HeldCreateVersion secrets =
        new HeldCreateVersion(
            (SecretActivities) RotationTests.real(testbed, SecretActivities.class));
    RotationTests.startWorker(env, worker, testbed, secrets);
    Map<String, String> before = testbed.plaintextDigests();
    Map<String, List<SecretVersion>> storeBefore = versions(testbed);

    CancelInFlight.Outcome outcome =
        CancelInFlight.run(client, options, secrets.held, "cancel-create");

    String fresh = VersionIds.forRotation("cancel-create", secrets.heldSecret());
    SecretVersion created = testbed.state(secrets.heldSecret()).version(fresh).orElseThrow();
    assertThat(created.status())
        .as("the version created after the cancel")
        .isEqualTo(VersionStatus.DISCARDED);
    assertThat(created.labels()).isEmpty();
    OldVersions.assertRestored(testbed, "cancel-create", SECRETS, before);
    Map<String, List<SecretVersion>> storeAfter = versions(testbed);
    storeAfter.computeIfPresent(
        secrets.heldSecret(),
        (secret, all) -> all.stream().filter(v -> !v.versionId().equals(fresh)).toList());
    assertThat(storeAfter).as("every other version exactly as before").isEqualTo(storeBefore);
    assertThat(outcome.compensatedInFlight())
        .as("discarded while createVersion was in flight")
        .isFalse();
    assertThat(outcome.failure().getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(outcome.end().state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(outcome.end().compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
  }

  @Test
  void
      cancellingWhileTheRotationWaitsForAManualRestart_rollsBack_onceTheOperatorConfirmsTheRollbackRestart(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);
    Map<String, String> before = testbed.plaintextDigests();

    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency("cancel-restart", ARTIFACT_KEY, PAYLOAD_KEY));
    RotationStatus waiting;
    RotationStatus rollingBack;
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "cancel-restart")
            .approves(GateName.PROCEED, "bob")
            .confirmsNoRestarts()
            .start()) {
      waiting =
          operator.awaitStatus(
              s -> s.state() == RotationState.AWAITING_RESTART, Duration.ofMinutes(1));
      stub.cancel();
      rollingBack =
          operator.awaitStatus(
              s ->
                  s.compensations().stream().anyMatch(c -> c.state() == CompensationState.RUNNING)
                      && s.pendingRestarts().contains(Testbed.DEPLOYMENT),
              Duration.ofMinutes(1));
    }
    try (Operator confirmer = new Operator(client, "cancel-restart").start()) {
      end = confirmer.awaitEnd(Duration.ofMinutes(1));
    }

    assertThat(waiting.phase()).isEqualTo(Phase.DISTRIBUTE);
    assertThat(rollingBack.state())
        .as("the rollback's own restart waits for the operator")
        .isEqualTo(RotationState.AWAITING_RESTART);
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    OldVersions.assertRestored(testbed, "cancel-restart", SECRETS, before);
  }

  @Test
  void aHaltedRotation_startsNothingNewUntilResumed_thenCompletes(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Faults.Calls shards = new Faults.Calls();
    Testbed testbed = withSlowShards(env, worker, 1_500, shards);
    RotationTests.start(
        client, options, RotationTests.emergency("halt", ARTIFACT_KEY, PAYLOAD_KEY));
    RotationWorkflow rotation =
        client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId("halt"));

    RotationStatus halted;
    RotationStatus settled;
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "halt").approves(GateName.PROCEED, "bob").start()) {
      operator.awaitStatus(s -> s.phase() == Phase.REENCRYPT, Duration.ofMinutes(1));
      rotation.halt(new Halt("dave", "database latency alarm"));
      halted =
          operator.awaitStatus(
              s -> s.state() == RotationState.HALTED && s.pendingDecision() != null,
              Duration.ofMinutes(1));
      await("shards already in flight finish")
          .atMost(Duration.ofSeconds(30))
          .until(() -> shards.running.get() == 0);
      int started = shards.started.get();
      await("no shard starts while halted")
          .during(Duration.ofMillis(1_500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> shards.started.get() == started && shards.running.get() == 0);
      settled = rotation.status();
    }
    try (Operator resumer =
        new Operator(client, "halt")
            .decides(ResumeAction.CONTINUE)
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = resumer.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(halted.pendingDecision().reason())
        .isEqualTo("halted by dave: database latency alarm");
    assertThat(halted.pendingDecision().allowed())
        .containsExactly(ResumeAction.CONTINUE, ResumeAction.ROLLBACK);
    assertThat(settled.progress().stream().mapToInt(p -> p.shardsTotal() - p.shardsDone()).sum())
        .as("shards were left to do")
        .isPositive();
    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(
            testbed.scan(Testbed.SNAPSHOTS).itemsUnder(testbed.currentKey(PAYLOAD_KEY).toString()))
        .isEqualTo(Testbed.ROWS);
  }

  private static Map<String, List<SecretVersion>> versions(Testbed testbed) {
    Map<String, List<SecretVersion>> versions = new TreeMap<>();
    for (String secret : SECRETS) {
      versions.put(secret, testbed.state(secret).versions());
    }
    return versions;
  }

  private Testbed withSlowShards(TestWorkflowEnvironment env, Worker worker, long shardMillis) {
    return withSlowShards(env, worker, shardMillis, new Faults.Calls());
  }

  private Testbed withSlowShards(
      TestWorkflowEnvironment env, Worker worker, long shardMillis, Faults.Calls shards) {
    Testbed testbed = new Testbed(root);
    ReencryptActivities slow =
        Faults.slowed(
            ReencryptActivities.class,
            (ReencryptActivities) RotationTests.real(testbed, ReencryptActivities.class),
            "reencryptShard",
            shardMillis,
            shards);
    RotationTests.startWorker(env, worker, testbed, slow);
    return testbed;
  }
}
