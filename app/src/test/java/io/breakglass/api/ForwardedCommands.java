package io.breakglass.api;

import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.util.List;
import java.util.Optional;

/**
 * What the API sent a rotation's workflow, read back from its history: the start input and every
 * {@code decide} Update the workflow accepted. Tests use it to see that a proof reached the
 * workflow, whatever the workflow then does with it.
 */
public final class ForwardedCommands {

  private ForwardedCommands() {}

  /** The request the rotation was started with. */
  public static RotationRequest start(ApiTestbed testbed, String rotationId) {
    HistoryEvent first = history(testbed, rotationId).get(0);
    return converter(testbed)
        .fromPayloads(
            0,
            Optional.of(first.getWorkflowExecutionStartedEventAttributes().getInput()),
            RotationRequest.class,
            RotationRequest.class);
  }

  /** Every decision the rotation's {@code decide} Update accepted, in order. */
  public static List<GateDecision> decisions(ApiTestbed testbed, String rotationId) {
    DataConverter converter = converter(testbed);
    return history(testbed, rotationId).stream()
        .filter(HistoryEvent::hasWorkflowExecutionUpdateAcceptedEventAttributes)
        .map(
            e ->
                e.getWorkflowExecutionUpdateAcceptedEventAttributes()
                    .getAcceptedRequest()
                    .getInput())
        .filter(input -> input.getName().equals("decide"))
        .map(input -> decision(converter, input.getArgs()))
        .toList();
  }

  /** The decision {@code actor} sent last; fails when there is none. */
  public static GateDecision lastBy(ApiTestbed testbed, String rotationId, String actor) {
    List<GateDecision> theirs =
        decisions(testbed, rotationId).stream().filter(d -> d.actor().equals(actor)).toList();
    if (theirs.isEmpty()) {
      throw new AssertionError("no decision of " + actor + " reached rotation " + rotationId);
    }
    return theirs.get(theirs.size() - 1);
  }

  private static GateDecision decision(DataConverter converter, Payloads args) {
    return converter.fromPayloads(0, Optional.of(args), GateDecision.class, GateDecision.class);
  }

  private static List<HistoryEvent> history(ApiTestbed testbed, String rotationId) {
    WorkflowClient client = testbed.stack().client();
    return client.fetchHistory(RotationWorkflow.workflowId(rotationId)).getEvents();
  }

  private static DataConverter converter(ApiTestbed testbed) {
    return testbed.stack().client().getOptions().getDataConverter();
  }
}
