package io.breakglass.worker.rotation;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.update.v1.Input;
import io.temporal.api.update.v1.Meta;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Talks to the test server as the Temporal UI and the {@code temporal} CLI do: JSON typed by hand,
 * sent over gRPC as {@code json/plain} payloads, never through Java objects and the data converter.
 */
final class HandTyped {

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final String taskQueue;

  HandTyped(TestWorkflowEnvironment env, String taskQueue) {
    this(env.getWorkflowServiceStubs(), env.getNamespace(), taskQueue);
  }

  /** On any Temporal service, e.g. the embedded one a worker of its own polls. */
  HandTyped(WorkflowServiceStubs stubs, String namespace, String taskQueue) {
    this.stubs = stubs;
    this.namespace = namespace;
    this.taskQueue = taskQueue;
  }

  /**
   * Starts {@code RotationWorkflow} under {@code workflowId} with {@code json} as input (null:
   * none).
   */
  void start(String workflowId, String json) {
    StartWorkflowExecutionRequest.Builder start =
        StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(namespace)
            .setWorkflowId(workflowId)
            .setRequestId(UUID.randomUUID().toString())
            .setWorkflowType(WorkflowType.newBuilder().setName("RotationWorkflow"))
            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue));
    if (json != null) {
      start.setInput(payloads(json));
    }
    grpc().startWorkflowExecution(start.build());
  }

  /** Sends signal {@code name} with {@code json} as input (null: none). */
  void signal(String workflowId, String name, String json) {
    SignalWorkflowExecutionRequest.Builder signal =
        SignalWorkflowExecutionRequest.newBuilder()
            .setNamespace(namespace)
            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .setSignalName(name)
            .setRequestId(UUID.randomUUID().toString());
    if (json != null) {
      signal.setInput(payloads(json));
    }
    grpc().signalWorkflowExecution(signal.build());
  }

  /** Sends update {@code name} with {@code json} as input and waits for its outcome. */
  UpdateWorkflowExecutionResponse update(String workflowId, String name, String json) {
    return grpc()
        .updateWorkflowExecution(
            UpdateWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setWaitPolicy(
                    WaitPolicy.newBuilder()
                        .setLifecycleStage(
                            UpdateWorkflowExecutionLifecycleStage
                                .UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED))
                .setRequest(
                    Request.newBuilder()
                        .setMeta(
                            Meta.newBuilder()
                                .setUpdateId(UUID.randomUUID().toString())
                                .setIdentity("hand"))
                        .setInput(Input.newBuilder().setName(name).setArgs(payloads(json))))
                .build());
  }

  /** The workflow's history events so far. */
  List<HistoryEvent> history(String workflowId) {
    return grpc()
        .getWorkflowExecutionHistory(
            GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(namespace)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getHistory()
        .getEventsList();
  }

  private WorkflowServiceBlockingStub grpc() {
    return stubs.blockingStub();
  }

  private static Payloads payloads(String json) {
    return Payloads.newBuilder()
        .addPayloads(
            Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)))
        .build();
  }
}
