package io.breakglass.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.lock.SecretLocks;
import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.Role;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A decision the API's pre-check lets through but the workflow's Update validator refuses comes
 * back as 409 with the validator's reason (Temporal SDK 1.38 reports the refusal under a type of
 * its own and keeps the message).
 */
class RotationsDecisionTest {

  private static EmbeddedTemporal temporal;
  private static TemporalConnection connection;
  private static BreakglassWorker worker;
  private static Rotations rotations;

  @BeforeAll
  static void aScriptedRotationAtItsGate() {
    temporal = EmbeddedTemporal.start(0);
    connection = TemporalConnection.open(temporal.temporalConfig());
    worker =
        BreakglassWorker.start(
            connection.client(),
            temporal.temporalConfig(),
            List.of(ScriptedRotation.class),
            List.of());
    RotationWorkflow rotation =
        connection
            .client()
            .newWorkflowStub(
                RotationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(RotationWorkflow.workflowId("scripted"))
                    .setTaskQueue(RotationWorkflow.TASK_QUEUE)
                    .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            "scripted", List.of("jwt"), RotationKind.EMERGENCY, "olivia", "test", null, null));
    // Decisions read neither the audit store nor the secret locks (this Jdbi never connects) nor
    // the settings.
    Jdbi unused = Jdbi.create("jdbc:postgresql://127.0.0.1:1/unused");
    rotations =
        new Rotations(
            connection.client(),
            RotationWorkflow.TASK_QUEUE,
            new RotationHistory(unused),
            null,
            null,
            new SecretLocks(unused, id -> Optional.empty()),
            new ProofCheck(null, java.time.Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    worker.close();
    connection.close();
    temporal.close();
  }

  @Test
  void aRefusalByTheWorkflowsValidator_is409_withItsReason() {
    WebApplicationException refused =
        catchThrowableOfType(
            WebApplicationException.class,
            () ->
                rotations.decide(
                    "scripted",
                    "proceed",
                    Verdict.APPROVE,
                    approver(ScriptedRotation.REFUSED),
                    "ok",
                    null));

    assertThat(refused.getResponse().getStatus()).isEqualTo(409);
    assertThat(refused.getMessage()).isEqualTo(ScriptedRotation.REASON);
  }

  @Test
  void negativeControl_aDecisionTheValidatorAccepts_returnsTheGate() {
    GateView gate =
        rotations.decide(
            "scripted", "PROCEED", Verdict.APPROVE, approver("carol"), "checked", null);

    assertThat(gate.approvals()).extracting(a -> a.approver()).contains("carol");
  }

  @Test
  void anOverrideOfThePreflight_reachesTheWorkflowAsSuch() {
    GateView gate =
        rotations.decide(
            "scripted",
            "PROCEED",
            Verdict.APPROVE,
            true,
            approver("dave"),
            "burn is the incident",
            null);

    assertThat(gate.approvals())
        .extracting(a -> a.approver() + ": " + a.comment())
        .contains("dave: [overrides the pre-flight] burn is the incident");
  }

  @Test
  void theInitiator_isStoppedByTheApiBeforeTheWorkflowIsAsked() {
    WebApplicationException refused =
        catchThrowableOfType(
            WebApplicationException.class,
            () ->
                rotations.decide(
                    "scripted", "PROCEED", Verdict.APPROVE, approver("olivia"), "mine", null));

    assertThat(refused.getResponse().getStatus()).isEqualTo(403);
    assertThat(refused.getMessage()).contains("two-person rule");
  }

  private static Caller approver(String name) {
    return new Caller(name, Set.of(Role.APPROVER));
  }
}
