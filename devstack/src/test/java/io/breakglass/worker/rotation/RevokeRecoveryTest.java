package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY_AWS_ID;
import static io.breakglass.worker.rotation.Testbed.DEPLOYMENT;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.deploy.KeyringFile;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeSecretsManager.Call;
import io.breakglass.workflows.RevokeRecoveryWorkflow;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RecoveryResult;
import io.breakglass.workflows.messages.queries.RecoveryStatus;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way back after REVOKE ({@code RevokeRecoveryWorkflow}) on real activities: the local store,
 * the keyring file of a manually restarted deployment, and the rotation's record in PostgreSQL.
 */
class RevokeRecoveryTest {

  private static final byte[] EXPORT_LINE =
      "a line of last week's export".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void
      aRevokedVersion_comesBackDecryptOnly_afterAsManyApprovalsAsTheRevokeGateTook_andTheRotationsTimelineSaysSo(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    Testbed testbed = started(env, worker);
    String old = testbed.initialVersion(PAYLOAD_KEY);
    Envelope export = encryptUnder(testbed, new KeyId(PAYLOAD_KEY, old));
    completeRotation(client, options, "back-1", 2, PAYLOAD_KEY);
    assertThatThrownBy(() -> decryptAsTheDeploymentDoes(testbed, export))
        .as("revoked: the deployment can no longer read it")
        .isInstanceOf(EnvelopeException.class);
    List<TimelineEntry> rotationTimeline = testbed.history().timeline("back-1");

    RevokeRecoveryWorkflow recovery =
        startRecovery(
            client,
            options,
            new RecoveryRequest("back-1", PAYLOAD_KEY, "olivia", "export under the old key"));
    RecoveryStatus open =
        awaitRecovery(recovery, s -> s.state() == RotationState.AWAITING_APPROVAL);
    WorkflowUpdateException ownApproval =
        catchThrowableOfType(
            WorkflowUpdateException.class,
            () ->
                recovery.decide(
                    new GateDecision(GateName.REVOKE, Verdict.APPROVE, "olivia", "mine")));
    recovery.approve(new Approval(GateName.REVOKE, "olivia", "trying the signal"));
    RecoveryStatus refused = awaitRecovery(recovery, s -> !s.refusals().isEmpty());
    GateView afterBob =
        recovery.decide(
            new GateDecision(GateName.REVOKE, Verdict.APPROVE, "bob", "checked the export"));
    assertThat(testbed.state(PAYLOAD_KEY).version(old).orElseThrow().status())
        .as("one approval of two changes nothing")
        .isEqualTo(VersionStatus.REVOKED);
    GateView afterCarol =
        recovery.decide(new GateDecision(GateName.REVOKE, Verdict.APPROVE, "carol", "agreed"));
    awaitRecovery(recovery, s -> s.pendingRestarts().contains(DEPLOYMENT));
    recovery.confirmRestart(new RestartConfirmation(DEPLOYMENT, "olivia", true, "pods ready"));
    RecoveryResult result = WorkflowStub.fromTyped(recovery).getResult(RecoveryResult.class);

    assertThat(open.gate().required()).as("the rotation's REVOKE gate took two").isEqualTo(2);
    assertThat(open.versionId()).isEqualTo(old);
    assertThat(open.windowClosesAt()).isEqualTo(open.revokedAt().plus(Duration.ofDays(7)));
    assertThat(((ApplicationFailure) ownApproval.getCause()).getOriginalMessage())
        .contains("olivia asked for this un-revoke and cannot approve it");
    assertThat(refused.refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.actor()).isEqualTo("olivia"));
    assertThat(afterBob.state()).isEqualTo(GateState.OPEN);
    assertThat(afterCarol.state())
        .as("negative control: other people's approvals count")
        .isEqualTo(GateState.APPROVED);

    SecretVersion back = testbed.state(PAYLOAD_KEY).version(old).orElseThrow();
    assertThat(back.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(back.labels()).containsExactly(Label.PREVIOUS);
    assertThat(testbed.current(PAYLOAD_KEY).versionId())
        .isEqualTo(VersionIds.forRotation("back-1", PAYLOAD_KEY));
    KeyringEntry entry = keyringEntry(testbed, PAYLOAD_KEY);
    assertThat(entry.primaryVersionId())
        .as("never primary again")
        .isEqualTo(VersionIds.forRotation("back-1", PAYLOAD_KEY));
    assertThat(entry.decryptOnlyVersionIds()).containsExactly(old);
    assertThat(decryptAsTheDeploymentDoes(testbed, export)).isEqualTo(EXPORT_LINE);
    assertThat(result.approvers()).containsExactly("bob", "carol");
    assertThat(result.deployments()).containsExactly(DEPLOYMENT);

    List<TimelineEntry> stored = testbed.history().timeline("back-1");
    assertThat(stored.subList(0, rotationTimeline.size()))
        .as("the rotation's own entries")
        .isEqualTo(rotationTimeline);
    List<TimelineEntry> added = stored.subList(rotationTimeline.size(), stored.size());
    assertThat(added).isEqualTo(result.timeline());
    assertThat(added)
        .extracting(TimelineEntry::seq)
        .startsWith(rotationTimeline.size() + 1)
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(added)
        .anySatisfy(
            e -> {
              assertThat(e.phase()).isEqualTo(Phase.GATE_REVOKE);
              assertThat(e.outcome()).isEqualTo(TimelineOutcome.APPROVED);
              assertThat(e.detail())
                  .contains("asked by olivia: export under the old key")
                  .endsWith("; approved by bob, carol");
            });
    assertThat(added)
        .filteredOn(e -> e.outcome() == TimelineOutcome.REFUSED)
        .extracting(TimelineEntry::actor)
        .containsExactly("olivia");
    assertThat(added)
        .filteredOn(e -> e.phase() == Phase.REVOKE && e.actor().equals(TimelineEntry.SYSTEM_ACTOR))
        .extracting(TimelineEntry::detail)
        .anySatisfy(d -> assertThat(d).contains(old).contains("ACTIVE again"))
        .anySatisfy(d -> assertThat(d).startsWith(DEPLOYMENT + ": ").contains("decrypt-only"));
    assertThat(testbed.history().find("back-1").orElseThrow().state())
        .isEqualTo(RotationState.COMPLETED);
  }

  @Test
  void theWayBack_isClosedAfterTheWindow_aRejectionChangesNothing_andInsideTheWindowItWorks(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    String oldPayload = testbed.initialVersion(PAYLOAD_KEY);
    String oldArtifact = testbed.initialVersion(ARTIFACT_KEY);
    completeRotation(client, options, "back-2", null, PAYLOAD_KEY, ARTIFACT_KEY);
    String keyring = testbed.keyringFile();

    env.sleep(Duration.ofDays(1));
    RevokeRecoveryWorkflow rejected =
        startRecovery(
            client, options, new RecoveryRequest("back-2", PAYLOAD_KEY, "olivia", "first try"));
    assertThat(
            awaitRecovery(rejected, s -> s.state() == RotationState.AWAITING_APPROVAL)
                .gate()
                .required())
        .as("an emergency rotation's REVOKE gate took one")
        .isEqualTo(1);
    rejected.reject(new Rejection(GateName.REVOKE, "bob", "not needed after all"));
    assertThat(ended(rejected).failure()).startsWith(RotationErrors.GATE_REJECTED.name());
    assertThat(testbed.state(PAYLOAD_KEY).version(oldPayload).orElseThrow().status())
        .isEqualTo(VersionStatus.REVOKED);
    assertThat(testbed.keyringFile()).isEqualTo(keyring);
    assertThat(
            ended(
                    startRecovery(
                        client,
                        options,
                        new RecoveryRequest("back-2", JWT, "olivia", "not rotated")))
                .failure())
        .startsWith(RotationErrors.NOT_RECOVERABLE.name());

    env.sleep(Duration.ofDays(5));
    RevokeRecoveryWorkflow inside =
        startRecovery(
            client, options, new RecoveryRequest("back-2", PAYLOAD_KEY, "olivia", "day six"));
    awaitRecovery(inside, s -> s.state() == RotationState.AWAITING_APPROVAL);
    inside.approve(new Approval(GateName.REVOKE, "bob", "ok"));
    awaitRecovery(inside, s -> s.pendingRestarts().contains(DEPLOYMENT));
    inside.confirmRestart(new RestartConfirmation(DEPLOYMENT, "olivia", true, "pods ready"));
    assertThat(ended(inside).state()).isEqualTo(RotationState.COMPLETED);
    assertThat(testbed.state(PAYLOAD_KEY).version(oldPayload).orElseThrow().status())
        .as("negative control: inside the window it works")
        .isEqualTo(VersionStatus.ACTIVE);
    assertThat(
            ended(
                    startRecovery(
                        client,
                        options,
                        new RecoveryRequest("back-2", PAYLOAD_KEY, "olivia", "once more")))
                .failure())
        .startsWith(RotationErrors.NOT_RECOVERABLE.name())
        .contains("active again already");

    env.sleep(Duration.ofDays(2));
    String keyringAfterDaySix = testbed.keyringFile();
    int storedEntries = testbed.history().timeline("back-2").size();
    RevokeRecoveryWorkflow late =
        startRecovery(
            client, options, new RecoveryRequest("back-2", ARTIFACT_KEY, "olivia", "day eight"));
    RecoveryStatus closed = ended(late);

    assertThat(closed.failure())
        .startsWith(RotationErrors.RECOVERY_WINDOW_CLOSED.name())
        .contains(oldArtifact)
        .contains("PT168H");
    assertThat(testbed.state(ARTIFACT_KEY).version(oldArtifact).orElseThrow().status())
        .isEqualTo(VersionStatus.REVOKED);
    assertThat(testbed.keyringFile()).isEqualTo(keyringAfterDaySix);
    assertThat(testbed.history().timeline("back-2")).as("nothing recorded").hasSize(storedEntries);
    assertThat(closed.state()).isEqualTo(RotationState.FAILED);
  }

  @Test
  void aVersionRevokedInSecretsManager_comesBackWithAwsPreviousThroughTheRoutedStore(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    try (FakeSecretsManager aws = FakeSecretsManager.start()) {
      Testbed testbed = new Testbed(root, aws);
      RotationTests.startWorker(env, worker, testbed);
      String initial = testbed.initialVersion(ARTIFACT_KEY);
      String fresh = VersionIds.forRotation("back-aws", ARTIFACT_KEY);
      completeRotation(client, options, "back-aws", null, ARTIFACT_KEY);
      assertThat(aws.labels(ARTIFACT_KEY_AWS_ID))
          .isEqualTo(Map.of(initial, List.of(), fresh, List.of("AWSCURRENT")));

      RevokeRecoveryWorkflow recovery =
          startRecovery(
              client,
              options,
              new RecoveryRequest("back-aws", ARTIFACT_KEY, "olivia", "offline export"));
      awaitRecovery(recovery, s -> s.state() == RotationState.AWAITING_APPROVAL);
      recovery.approve(new Approval(GateName.REVOKE, "bob", "ok"));
      awaitRecovery(recovery, s -> s.pendingRestarts().contains(DEPLOYMENT));
      recovery.confirmRestart(new RestartConfirmation(DEPLOYMENT, "olivia", true, "pods ready"));

      assertThat(ended(recovery).state()).isEqualTo(RotationState.COMPLETED);
      assertThat(aws.labels(ARTIFACT_KEY_AWS_ID))
          .isEqualTo(Map.of(initial, List.of("AWSPREVIOUS"), fresh, List.of("AWSCURRENT")));
      assertThat(aws.tags(ARTIFACT_KEY_AWS_ID).get("breakglass:" + initial))
          .doesNotContain("status=")
          .contains("revokedBy=back-aws unrevokedBy=back-aws");
      assertThat(testbed.state(ARTIFACT_KEY).version(initial).orElseThrow().status())
          .isEqualTo(VersionStatus.ACTIVE);
      assertThat(keyringEntry(testbed, ARTIFACT_KEY).decryptOnlyVersionIds())
          .containsExactly(initial);
      assertThat(aws.calls()).extracting(Call::operation).doesNotContain("DeleteSecret");
    }
  }

  @Test
  void theGateWaitsNoLongerThanTheWindow(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    completeRotation(client, options, "back-4", null, PAYLOAD_KEY);
    env.sleep(Duration.ofDays(7).minusHours(1));

    RevokeRecoveryWorkflow recovery =
        startRecovery(
            client, options, new RecoveryRequest("back-4", PAYLOAD_KEY, "olivia", "just in time?"));
    RecoveryStatus open =
        awaitRecovery(recovery, s -> s.state() == RotationState.AWAITING_APPROVAL);
    // Waiting on the result lets the test server skip to the deadline.
    String type = failureOf(recovery);

    assertThat(open.gate().deadline()).isEqualTo(open.windowClosesAt());
    assertThat(type).isEqualTo(RotationErrors.RECOVERY_WINDOW_CLOSED.name());
    assertThat(
            testbed
                .state(PAYLOAD_KEY)
                .version(testbed.initialVersion(PAYLOAD_KEY))
                .orElseThrow()
                .status())
        .isEqualTo(VersionStatus.REVOKED);
    assertThat(testbed.history().timeline("back-4"))
        .anySatisfy(
            e -> {
              assertThat(e.outcome()).isEqualTo(TimelineOutcome.TIMED_OUT);
              assertThat(e.detail()).contains("stays revoked");
            });
  }

  @Test
  void aRotationThatRevokedNothing_anUnknownOne_orAnotherWorkflowId_isRefusedAndNothingIsRecorded(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    WorkflowStub rotation =
        RotationTests.start(client, options, RotationTests.emergency("back-3", PAYLOAD_KEY));
    try (Operator operator =
        new Operator(client, "back-3").rejects(GateName.PROCEED, "bob").start()) {
      assertThat(operator.awaitEnd(Duration.ofMinutes(2)).state())
          .isEqualTo(RotationState.ROLLED_BACK);
    }
    // Its last timeline entries are saved just before the workflow ends.
    assertThatThrownBy(() -> rotation.getResult(Object.class))
        .isInstanceOf(WorkflowFailedException.class);
    int stored = testbed.history().timeline("back-3").size();

    ApplicationFailure rolledBack =
        failure(
            startRecovery(
                client, options, new RecoveryRequest("back-3", PAYLOAD_KEY, "olivia", "why not")));
    ApplicationFailure unknown =
        failure(
            startRecovery(
                client,
                options,
                new RecoveryRequest("never-ran", PAYLOAD_KEY, "olivia", "why not")));
    RevokeRecoveryWorkflow elsewhere =
        client.newWorkflowStub(
            RevokeRecoveryWorkflow.class,
            WorkflowOptions.newBuilder(options).setWorkflowId("unrevoke-other").build());
    WorkflowClient.start(
        elsewhere::recover, new RecoveryRequest("back-3", PAYLOAD_KEY, "olivia", "why not"));
    ApplicationFailure wrongId = failure(elsewhere);

    assertThat(rolledBack.getType()).isEqualTo(RotationErrors.NOT_RECOVERABLE.name());
    assertThat(rolledBack.getOriginalMessage()).contains("ROLLED_BACK");
    assertThat(unknown.getType()).isEqualTo(RotationErrors.NOT_RECOVERABLE.name());
    assertThat(unknown.getOriginalMessage()).isEqualTo("no rotation never-ran is recorded");
    assertThat(wrongId.getType()).isEqualTo(RotationErrors.INVALID_REQUEST.name());
    assertThat(wrongId.getOriginalMessage()).contains("unrevoke-back-3");
    assertThat(testbed.history().timeline("back-3")).hasSize(stored);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Testbed started(TestWorkflowEnvironment env, Worker worker) {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);
    return testbed;
  }

  /**
   * Runs an emergency rotation to COMPLETED: bob (and carol) approve each gate, restarts are
   * confirmed.
   */
  private static void completeRotation(
      WorkflowClient client,
      WorkflowOptions options,
      String rotationId,
      Integer approvals,
      String... secrets)
      throws Exception {
    RotationRequest request =
        new RotationRequest(
            rotationId,
            List.of(secrets),
            RotationKind.EMERGENCY,
            "alice",
            "key in a ticket",
            approvals,
            null);
    RotationTests.start(client, options, request);
    String[] approvers =
        approvals != null && approvals == 2 ? new String[] {"bob", "carol"} : new String[] {"bob"};
    RotationStatus end;
    try (Operator operator =
        new Operator(client, rotationId)
            .approves(GateName.PROCEED, approvers)
            .approves(GateName.REVOKE, approvers)
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }
    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
  }

  /**
   * Starts an un-revoke under {@code unrevoke-<rotationId>}. The previous run of that id may report
   * its end a moment before it closes, so a start it still blocks is tried again.
   */
  private static RevokeRecoveryWorkflow startRecovery(
      WorkflowClient client, WorkflowOptions options, RecoveryRequest request) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsInstanceOf(WorkflowExecutionAlreadyStarted.class)
        .until(() -> started(client, options, request), recovery -> true);
  }

  private static RevokeRecoveryWorkflow started(
      WorkflowClient client, WorkflowOptions options, RecoveryRequest request) {
    RevokeRecoveryWorkflow recovery =
        client.newWorkflowStub(
            RevokeRecoveryWorkflow.class,
            WorkflowOptions.newBuilder(options)
                .setWorkflowId(RevokeRecoveryWorkflow.workflowId(request.rotationId()))
                .build());
    WorkflowClient.start(recovery::recover, request);
    return recovery;
  }

  /** Polls the status query (real time, no time skipping) until {@code condition} holds. */
  private static RecoveryStatus awaitRecovery(
      RevokeRecoveryWorkflow recovery, Predicate<RecoveryStatus> condition) {
    // The first workflow task may not have run yet: a failing query is asked again.
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(recovery::status, condition);
  }

  /**
   * Polls until the un-revoke ended. Unlike waiting on its result, this never lets the test server
   * skip time, so the days this test sleeps are the only time that passes.
   */
  private static RecoveryStatus ended(RevokeRecoveryWorkflow recovery) throws InterruptedException {
    return awaitRecovery(recovery, s -> s.state().terminal());
  }

  private static ApplicationFailure failure(RevokeRecoveryWorkflow recovery) {
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(recovery).getResult(RecoveryResult.class));
    assertThat(failed).as("the un-revoke should have failed").isNotNull();
    return (ApplicationFailure) failed.getCause();
  }

  private static String failureOf(RevokeRecoveryWorkflow recovery) {
    return failure(recovery).getType();
  }

  /** What an export taken before the rotation holds: a line encrypted under {@code keyId}. */
  private static Envelope encryptUnder(Testbed testbed, KeyId keyId) {
    return new EnvelopeCipher()
        .encrypt(keyId, new StoreKeyring(testbed.store).key(keyId), EXPORT_LINE, null);
  }

  /**
   * Decrypts as the deployment would: only versions its published keyring lists, with material from
   * the store (a fresh keyring, so revoked versions are unknown).
   */
  private static byte[] decryptAsTheDeploymentDoes(Testbed testbed, Envelope envelope) {
    StoreKeyring material = new StoreKeyring(testbed.store);
    Keyring deployment =
        keyId -> {
          KeyringEntry entry = keyringEntry(testbed, keyId.secret());
          if (!entry.primaryVersionId().equals(keyId.versionId())
              && !entry.decryptOnlyVersionIds().contains(keyId.versionId())) {
            throw new EnvelopeException(
                EnvelopeException.Reason.UNKNOWN_KEY_ID, keyId + " is not in the keyring");
          }
          return material.key(keyId);
        };
    return new EnvelopeCipher().decrypt(envelope, deployment, null);
  }

  private static KeyringEntry keyringEntry(Testbed testbed, String secret) {
    return new KeyringFile(testbed.root.resolve("keyrings/backend.json"))
        .read(DEPLOYMENT).entries().stream()
            .filter(e -> e.secret().equals(secret))
            .findFirst()
            .orElseThrow();
  }
}
