package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input typed by hand into the Temporal UI or the {@code temporal} CLI, sent as raw JSON over gRPC:
 * a start input that cannot be read fails the workflow at once with {@code INVALID_REQUEST} naming
 * the field; a signal that cannot be read is refused and listed; the documented input works.
 */
class HandTypedInputTest {

  /**
   * How long "at once" may take in real time; a workflow task retrying forever never gets there.
   */
  private static final Duration AT_ONCE = Duration.ofSeconds(15);

  private static final String ACTIONS =
      Arrays.stream(ResumeAction.values()).map(Enum::name).collect(Collectors.joining(", "));

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void startInputsThatCannotBeRead_failAtOnceWithInvalidRequestNamingTheField(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);
    HandTyped hand = new HandTyped(env, worker.getTaskQueue());
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put(
        "typo",
        new String[] {
          request("typo", "\"gatetimeout\": \"PT4H\""), "unknown field \"gatetimeout\""
        });
    cases.put(
        "bad-kind",
        new String[] {
          request("bad-kind", "").replace("EMERGENCY", "URGENT"),
          "kind must be one of EMERGENCY, ROUTINE (any case), not \"URGENT\""
        });
    cases.put(
        "four-hours",
        new String[] {
          request("four-hours", "\"gateTimeout\": \"4h\""),
          "gateTimeout must be an ISO-8601 duration such as PT4H"
        });
    cases.put(
        "other-id",
        new String[] {
          request("good-id", ""), "the workflow id must be rotation-good-id, not rotation-other-id"
        });
    cases.put(
        "wrong-type",
        new String[] {
          request("wrong-type", "")
              .replace("[\"artifact-encryption-key\"]", "\"artifact-encryption-key\""),
          "secrets must be a JSON array of strings"
        });
    cases.put(
        "nul",
        new String[] {
          request("nul", "").replace("suspected exposure", "suspected\\u0000exposure"),
          "reason must not contain control characters"
        });
    cases.put(
        "huge",
        new String[] {
          request("huge", "").replace("suspected exposure", "x".repeat(100_000)),
          "reason must be at most 2000 characters"
        });
    cases.put(
        "deep",
        new String[] {
          request("deep", "\"requiredApprovals\": " + "[".repeat(5_000) + "]".repeat(5_000)),
          "the input is not readable JSON"
        });
    cases.put("no-input", new String[] {null, "the rotation request is missing"});

    cases.forEach((id, input) -> hand.start(RotationWorkflow.workflowId(id), input[0]));

    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      String workflowId = RotationWorkflow.workflowId(c.getKey());
      List<HistoryEvent> history = awaitClosed(hand, workflowId);
      assertThat(history)
          .as(workflowId + ": no workflow task failed")
          .extracting(HistoryEvent::getEventType)
          .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
          .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
      WorkflowFailedException failed =
          catchThrowableOfType(
              WorkflowFailedException.class,
              () -> client.newUntypedWorkflowStub(workflowId).getResult(Object.class));
      ApplicationFailure failure = (ApplicationFailure) failed.getCause();
      assertThat(failure.getType()).as(workflowId).isEqualTo(RotationErrors.INVALID_REQUEST.name());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).as(workflowId).contains(c.getValue()[1]);
    }
    assertThat(failureOf(client, "huge")).as("what is echoed stays short").hasSizeLessThan(300);
    assertThat(testbed.history().list(10)).as("nothing recorded, nothing changed").isEmpty();
  }

  @Test
  void theDocumentedInput_startsARotation_andSignalsThatCannotBeRead_areListedInRefusals(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    RotationTests.startWorker(env, worker, new Testbed(root));
    HandTyped hand = new HandTyped(env, worker.getTaskQueue());
    RotationWorkflow rotation = client.newWorkflowStub(RotationWorkflow.class, "rotation-r1");

    hand.start(
        "rotation-r1",
        """
        {"rotationId": "r1",
         "secrets": ["artifact-encryption-key", "ai-payload-encryption-key"],
         "kind": "EMERGENCY",
         "initiator": "alice",
         "reason": "key seen in a support ticket",
         "requiredApprovals": null,
         "gateTimeout": "PT4H"}""");
    awaitStatus(
        rotation, s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.PROCEED);

    hand.signal("rotation-r1", "approve", "{\"gate\": \"PROCEDE\", \"approver\": \"bob\"}");
    hand.signal(
        "rotation-r1",
        "approve",
        "{\"gate\": \"PROCEED\", \"approver\": \"bob\", \"coment\": \"typo\"}");
    hand.signal("rotation-r1", "approve", "{\"gate\": \"PROCEED\", \"approver\": 42}");
    hand.signal("rotation-r1", "approve", null);
    hand.signal(
        "rotation-r1",
        "reject",
        "{\"gate\": \"PROCEED\", \"approver\": \"mallory\", \"reason\": [\"no\"]}");
    hand.signal(
        "rotation-r1", "halt", "{\"actor\": \"dave\", \"reason\": \"alarm\", \"now\": true}");
    hand.signal("rotation-r1", "resume", "{\"actor\": \"dave\", \"action\": \"GO\"}");
    hand.signal(
        "rotation-r1",
        "confirmRestart",
        "{\"deployment\": \"backend\", \"operator\": \"olivia\", \"ready\": \"yes\"}");
    RotationStatus refused = awaitStatus(rotation, s -> s.refusals().size() == 8);

    assertThat(refused.refusals())
        .extracting(Refusal::signal, Refusal::actor)
        .containsExactly(
            tuple("approve", "bob"),
            tuple("approve", "bob"),
            tuple("approve", "(anonymous)"),
            tuple("approve", "(anonymous)"),
            tuple("reject", "mallory"),
            tuple("halt", "dave"),
            tuple("resume", "dave"),
            tuple("confirmRestart", "olivia"));
    assertThat(refused.refusals())
        .extracting(Refusal::reason)
        .containsExactly(
            "unreadable input: gate must be one of PROCEED, REVOKE (any case), not \"PROCEDE\"",
            "unreadable input: unknown field \"coment\" (the fields are gate, approver, comment, proof, overridePreflight)",
            "unreadable input: approver must be a string, not 42",
            "the approve signal carried no input",
            "unreadable input: reason must be a string, not a JSON array",
            "unreadable input: unknown field \"now\" (the fields are actor, reason)",
            "unreadable input: action must be one of " + ACTIONS + " (any case), not \"GO\"",
            "unreadable input: ready must be true or false, not \"yes\"");
    assertThat(refused.timeline())
        .filteredOn(e -> e.outcome() == TimelineOutcome.REFUSED)
        .hasSize(8);
    assertThat(refused.pendingGate().approvals()).as("nothing applied").isEmpty();
    assertThat(refused.state()).isEqualTo(RotationState.AWAITING_APPROVAL);

    UpdateWorkflowExecutionResponse decided =
        hand.update(
            "rotation-r1",
            "decide",
            "{\"gate\": \"PROCEED\", \"verdict\": \"MAYBE\", \"actor\": \"carol\"}");
    assertThat(decided.getOutcome().getFailure().getMessage())
        .contains(
            "unreadable decision: verdict must be one of APPROVE, REJECT (any case), not \"MAYBE\"");

    hand.signal(
        "rotation-r1",
        "approve",
        "{\"gate\": \"proceed\", \"approver\": \"bob\", \"comment\": \"verified\"}");
    RotationStatus approved =
        awaitStatus(
            rotation, s -> !s.gates().isEmpty() && s.gates().get(0).state() == GateState.APPROVED);

    assertThat(approved.gates().get(0).approvals())
        .extracting(ApprovalView::approver)
        .containsExactly("bob");
    assertThat(approved.refusals()).hasSize(8);
  }

  /**
   * A request typed as docs/operator/temporal-ui-and-cli.md shows it, under {@code rotationId},
   * with {@code extra} fields.
   */
  private static String request(String rotationId, String extra) {
    return "{\"rotationId\": \""
        + rotationId
        + "\", \"secrets\": [\"artifact-encryption-key\"], \"kind\": \"EMERGENCY\","
        + " \"initiator\": \"alice\", \"reason\": \"suspected exposure\""
        + (extra.isEmpty() ? "" : ", " + extra)
        + "}";
  }

  private static List<HistoryEvent> awaitClosed(HandTyped hand, String workflowId) {
    return await()
        .dontCatchUncaughtExceptions()
        .alias(workflowId + " fails")
        .atMost(AT_ONCE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> hand.history(workflowId),
            history ->
                history.get(history.size() - 1).getEventType()
                    == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
  }

  private static String failureOf(WorkflowClient client, String rotationId) {
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () ->
                client
                    .newUntypedWorkflowStub(RotationWorkflow.workflowId(rotationId))
                    .getResult(Object.class));
    return ((ApplicationFailure) failed.getCause()).getOriginalMessage();
  }

  private static RotationStatus awaitStatus(
      RotationWorkflow rotation, Predicate<RotationStatus> condition) {
    // The workflow may not have run its first task yet: a failing query is asked again.
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(rotation::status, condition);
  }
}
