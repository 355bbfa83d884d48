package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.CodecConfig;
import io.breakglass.worker.CodecKeys;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.codec.EncodedOnlyCodec;
import io.breakglass.workflows.codec.PayloadEncryptionCodec;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code temporal.codec.requireEncoded}: a worker reads only payloads the codec encrypted. A raw
 * plain-JSON approve sent over gRPC (as the Temporal UI or the {@code temporal} CLI sends it
 * without the codec endpoint) is refused and listed, a plain {@code decide} update is refused, and
 * a plain start fails with {@code INVALID_REQUEST}; the same approve through a client with the
 * codec counts; a forged "encrypted" approve is refused too, and the rotation goes on. Without
 * {@code requireEncoded} the plain approve counts and the forged one fails the workflow task (the
 * negative controls).
 */
class RequireEncodedTest {

  private static final String PLAIN_APPROVE =
      "{\"gate\": \"PROCEED\", \"approver\": \"bob\", \"comment\": \"typed in the UI\"}";

  /** Claims the encrypted encoding and the worker's codec key id, but is 64 zero bytes. */
  private static final Payload FORGED =
      Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8(PayloadEncryptionCodec.ENCODING))
          .putMetadata(PayloadEncryptionCodec.KEY_ID, ByteString.copyFromUtf8("codec-test"))
          .setData(ByteString.copyFrom(new byte[64]))
          .build();

  @TempDir Path root;

  @Test
  void withRequireEncoded_aPlainApproveIsRefusedAndListed_andAnEncodedOneCounts() throws Exception {
    try (Stack stack = new Stack(root, true)) {
      stack.startRotation("enc-1");

      stack.hand.signal(RotationWorkflow.workflowId("enc-1"), "approve", PLAIN_APPROVE);
      RotationStatus refused =
          stack.operator.awaitStatus(s -> !s.refusals().isEmpty(), Duration.ofMinutes(1));

      assertThat(refused.refusals())
          .extracting(Refusal::signal, Refusal::actor)
          .containsExactly(tuple("approve", "(anonymous)"));
      assertThat(refused.refusals().get(0).reason())
          .isEqualTo("unreadable input: " + EncodedOnlyCodec.REASON);
      assertThat(refused.pendingGate().approvals()).as("nothing applied").isEmpty();
      UpdateWorkflowExecutionResponse decided =
          stack.hand.update(
              RotationWorkflow.workflowId("enc-1"),
              "decide",
              "{\"gate\": \"PROCEED\", \"verdict\": \"APPROVE\", \"actor\": \"bob\"}");
      // Refused by the validator; its reason does not survive the codec's failure encoding (an SDK
      // quirk).
      assertThat(decided.getOutcome().hasFailure()).as("a plain decide update is refused").isTrue();

      stack.rotation("enc-1").approve(new Approval(GateName.PROCEED, "carol", "through the codec"));
      RotationStatus approved =
          stack.operator.awaitStatus(RequireEncodedTest::proceedApproved, Duration.ofMinutes(1));

      assertThat(approved.gates().get(0).approvals())
          .extracting(ApprovalView::approver)
          .containsExactly("carol");
      assertThat(approved.refusals()).hasSize(1);
    }
  }

  @Test
  void withRequireEncoded_aForgedEncryptedApprove_isRefusedAndListed_andTheRotationGoesOn()
      throws Exception {
    try (Stack stack = new Stack(root, true)) {
      stack.startRotation("forged-1");

      stack.signal("forged-1", "approve", FORGED);
      RotationStatus refused =
          stack.operator.awaitStatus(s -> !s.refusals().isEmpty(), Duration.ofMinutes(1));

      assertThat(refused.refusals().get(0).reason())
          .isEqualTo("unreadable input: " + EncodedOnlyCodec.REASON);
      stack
          .rotation("forged-1")
          .approve(new Approval(GateName.PROCEED, "carol", "through the codec"));
      assertThat(
              stack
                  .operator
                  .awaitStatus(RequireEncodedTest::proceedApproved, Duration.ofMinutes(1))
                  .refusals())
          .hasSize(1);
      assertThat(stack.hand.history(RotationWorkflow.workflowId("forged-1")))
          .extracting(HistoryEvent::getEventType)
          .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    }
  }

  @Test
  void negativeControl_withoutRequireEncoded_aForgedEncryptedApprove_failsTheWorkflowTask()
      throws Exception {
    try (Stack stack = new Stack(root, false)) {
      stack.startRotation("forged-2");

      stack.signal("forged-2", "approve", FORGED);

      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(stack.hand.history(RotationWorkflow.workflowId("forged-2")))
                      .extracting(HistoryEvent::getEventType)
                      .contains(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED));
    }
  }

  @Test
  void withRequireEncoded_aPlainStartFailsWithInvalidRequest() throws Exception {
    try (Stack stack = new Stack(root, true)) {
      String workflowId = RotationWorkflow.workflowId("plain-start");

      stack.hand.start(
          workflowId,
          "{\"rotationId\": \"plain-start\", \"secrets\": [\""
              + ARTIFACT_KEY
              + "\"], \"kind\": \"EMERGENCY\","
              + " \"initiator\": \"alice\", \"reason\": \"typed in the UI\"}");
      WorkflowFailedException failed =
          catchThrowableOfType(
              WorkflowFailedException.class,
              () ->
                  stack
                      .client()
                      .newUntypedWorkflowStub(workflowId)
                      .getResult(30, TimeUnit.SECONDS, Object.class));

      ApplicationFailure failure = (ApplicationFailure) failed.getCause();
      assertThat(failure.getType()).isEqualTo(RotationErrors.INVALID_REQUEST.name());
      assertThat(failure.getOriginalMessage()).contains(EncodedOnlyCodec.REASON);
      assertThat(stack.testbed.history().list(10)).as("nothing recorded").isEmpty();
    }
  }

  @Test
  void negativeControl_withoutRequireEncoded_thePlainApproveCounts() throws Exception {
    try (Stack stack = new Stack(root, false)) {
      stack.startRotation("enc-2");

      stack.hand.signal(RotationWorkflow.workflowId("enc-2"), "approve", PLAIN_APPROVE);
      RotationStatus approved =
          stack.operator.awaitStatus(RequireEncodedTest::proceedApproved, Duration.ofMinutes(1));

      assertThat(approved.gates().get(0).approvals())
          .extracting(ApprovalView::approver)
          .containsExactly("bob");
      assertThat(approved.refusals()).isEmpty();
    }
  }

  private static boolean proceedApproved(RotationStatus status) {
    return !status.gates().isEmpty() && status.gates().get(0).state() == GateState.APPROVED;
  }

  /**
   * The embedded Temporal server with a worker whose codec requires encoded payloads (or not), a
   * client with the codec, and raw gRPC without it. Closing terminates the rotation it started.
   */
  private static final class Stack implements AutoCloseable {

    final Testbed testbed;
    final HandTyped hand;
    Operator operator;
    private final EmbeddedTemporal server;
    private final TemporalConnection connection;
    private final BreakglassWorker worker;
    private final String namespace;
    private String rotationId;

    Stack(Path root, boolean requireEncoded) throws Exception {
      testbed = new Testbed(root.resolve("testbed"));
      CodecKeys.createFile(root.resolve("codec.key"));
      server = EmbeddedTemporal.start(0);
      TemporalConfig config =
          server
              .temporalConfig()
              .withCodec(
                  new CodecConfig(
                      List.of(new CodecConfig.Key("codec-test", null, root.resolve("codec.key"))),
                      requireEncoded));
      namespace = config.namespace();
      connection = TemporalConnection.open(config);
      worker =
          BreakglassWorker.start(connection.client(), config, RotationTests.activities(testbed));
      hand = new HandTyped(connection.stubs(), config.namespace(), worker.taskQueue());
    }

    WorkflowClient client() {
      return connection.client();
    }

    /** Sends signal {@code name} with {@code payload} as it is, over raw gRPC. */
    void signal(String id, String name, Payload payload) {
      connection
          .stubs()
          .blockingStub()
          .signalWorkflowExecution(
              SignalWorkflowExecutionRequest.newBuilder()
                  .setNamespace(namespace)
                  .setWorkflowExecution(
                      WorkflowExecution.newBuilder().setWorkflowId(RotationWorkflow.workflowId(id)))
                  .setSignalName(name)
                  .setRequestId(UUID.randomUUID().toString())
                  .setInput(Payloads.newBuilder().addPayloads(payload))
                  .build());
    }

    RotationWorkflow rotation(String id) {
      return client().newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId(id));
    }

    /** Starts rotation {@code id} through the codec client and waits at its PROCEED gate. */
    void startRotation(String id) throws InterruptedException {
      rotationId = id;
      RotationTests.start(
          client(),
          WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).build(),
          RotationTests.emergency(id, ARTIFACT_KEY));
      operator = new Operator(client(), id).start();
      operator.awaitStatus(
          s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.PROCEED,
          Duration.ofMinutes(1));
    }

    @Override
    public void close() throws Exception {
      if (operator != null) {
        operator.close();
      }
      if (rotationId != null) {
        client()
            .newUntypedWorkflowStub(RotationWorkflow.workflowId(rotationId))
            .terminate("test over");
      }
      worker.close();
      connection.close();
      server.close();
    }
  }
}
