package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.CodecConfig;
import io.breakglass.worker.CodecKeys;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator types into a rotation (the reason, halt and resume reasons, approval and update
 * comments) and what fails in it (an activity's error message) reach Temporal's history only
 * encrypted: a rotation runs against the Temporal test server over gRPC with the payload codec, and
 * its raw history, read straight from the service stubs without any codec, holds none of the canary
 * strings. The same rotation without the codec holds every one of them.
 */
class PayloadPrivacyTest {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** Where each canary is placed, by canary. */
  private static final Map<String, String> CANARIES =
      Map.of(
          "canary-start-reason-" + RUN, "the start input (reason)",
          "canary-halt-reason-" + RUN, "the halt signal",
          "canary-resume-comment-" + RUN, "the resume signal",
          "canary-update-comment-" + RUN, "the decide update",
          "canary-approval-comment-" + RUN, "the approve signal",
          "canary-error-message-" + RUN, "an activity's failure message");

  @TempDir Path root;

  @Test
  void withTheCodec_noCanaryFromInputsSignalsUpdatesOrErrorsIsInTheRawHistory() throws Exception {
    CodecKeys.createFile(root.resolve("codec.key"));

    String history =
        rotateWithCanaries(
            config -> config.withCodec(CodecConfig.file("codec-test", root.resolve("codec.key"))));

    assertThat(history).contains("binary/encrypted").contains("codec-test");
    assertThat(CANARIES.keySet())
        .as("canaries readable in the raw history")
        .filteredOn(history::contains)
        .isEmpty();
  }

  @Test
  void negativeControl_withoutTheCodec_everyCanaryIsInTheRawHistory() throws Exception {
    String history = rotateWithCanaries(config -> config);

    assertThat(history).doesNotContain("binary/encrypted");
    assertThat(CANARIES.keySet())
        .allSatisfy(canary -> assertThat(history).as(CANARIES.get(canary)).contains(canary));
  }

  /**
   * Runs one rotation that carries every canary and fails in CREATE_VERSION; returns its raw
   * history (the protobuf bytes of every event, read as Latin-1 so that any byte sequence is text).
   */
  private String rotateWithCanaries(UnaryOperator<TemporalConfig> codec) throws Exception {
    Testbed testbed = new Testbed(root.resolve("testbed"));
    String rotationId = "privacy";
    Object failingCreate =
        Faults.failing(
            SecretActivities.class,
            (SecretActivities) RotationTests.real(testbed, SecretActivities.class),
            "createVersion",
            "secret store refused: " + canary("error-message"));
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
      TemporalConfig config = codec.apply(server.temporalConfig());
      try (TemporalConnection connection = TemporalConnection.open(config);
          BreakglassWorker worker =
              BreakglassWorker.start(
                  connection.client(), config, RotationTests.activities(testbed, failingCreate))) {
        WorkflowClient client = connection.client();
        RotationTests.start(
            client,
            WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).build(),
            new RotationRequest(
                rotationId,
                List.of(ARTIFACT_KEY),
                RotationKind.EMERGENCY,
                "alice",
                canary("start-reason"),
                2,
                null));
        RotationWorkflow rotation =
            client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId(rotationId));
        rotation.halt(new Halt("dave", canary("halt-reason")));
        RotationStatus end;
        try (Operator watcher = new Operator(client, rotationId).start()) {
          watcher.awaitStatus(s -> s.pendingDecision() != null, Duration.ofMinutes(1));
          rotation.resume(new Resume("dave", ResumeAction.CONTINUE, canary("resume-comment")));
          watcher.awaitStatus(
              s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.PROCEED,
              Duration.ofMinutes(1));
          rotation.decide(
              new GateDecision(GateName.PROCEED, Verdict.APPROVE, "bob", canary("update-comment")));
          rotation.approve(new Approval(GateName.PROCEED, "carol", canary("approval-comment")));
          end = watcher.awaitEnd(Duration.ofMinutes(2));
        }
        assertThat(end.state()).isNotEqualTo(RotationState.COMPLETED);
        assertThat(end.failure()).contains(Faults.TYPE);
        return rawHistory(
            connection.stubs(), config.namespace(), RotationWorkflow.workflowId(rotationId));
      }
    }
  }

  private static String canary(String place) {
    return "canary-" + place + "-" + RUN;
  }

  /** Every page of the history, as the service sends it: no data converter, no codec. */
  private static String rawHistory(
      WorkflowServiceStubs stubs, String namespace, String workflowId) {
    StringBuilder text = new StringBuilder();
    ByteString page = ByteString.EMPTY;
    int events = 0;
    do {
      GetWorkflowExecutionHistoryResponse response =
          stubs
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .setNextPageToken(page)
                      .build());
      events += response.getHistory().getEventsCount();
      text.append(new String(response.getHistory().toByteArray(), StandardCharsets.ISO_8859_1));
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    assertThat(events).as("events in the history of " + workflowId).isGreaterThan(10);
    return text.toString();
  }
}
