package io.breakglass.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.ProbeActivity;
import io.breakglass.worker.ProbeWorkflow;
import io.breakglass.worker.ProbeWorkflowImpl;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.ThisMachine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedTemporalTest {

  @Test
  void givenEmbeddedTemporal_whenAWorkflowRunsOverGrpc_itCompletes() {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      assertThat(temporal.port()).isPositive();
      assertThat(temporal.target()).isEqualTo("127.0.0.1:" + temporal.port());

      assertThat(runProbe(temporal.temporalConfig(), "probe-1")).isEqualTo("ping by embedded");
    }
  }

  @Test
  void givenEmbeddedTemporal_itAcceptsConnectionsOnLoopbackOnly() {
    InetAddress external = nonLoopbackAddress();
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      assertThat(ThisMachine.accepts(InetAddress.getLoopbackAddress(), temporal.port())).isTrue();
      assertThat(ThisMachine.accepts(external, temporal.port()))
          .as("reachable on %s", external)
          .isFalse();
    }
  }

  /** Negative control: the same probe does see a server that binds every interface. */
  @Test
  void givenTheStockPortBoundTestServer_itIsReachableOnANonLoopbackAddress() {
    InetAddress external = nonLoopbackAddress();
    int port = ThisMachine.freePort();
    TestServer.PortBoundTestServer stock = TestServer.createPortBoundServer(port);
    try {
      assertThat(ThisMachine.accepts(external, port)).isTrue();
    } finally {
      stock.close();
    }
  }

  @Test
  void givenARestartOnTheSamePort_theServerHasForgottenEveryWorkflow() {
    int port;
    try (EmbeddedTemporal first = EmbeddedTemporal.start(0)) {
      port = first.port();
      runProbe(first.temporalConfig(), "probe-before-restart");
      assertThat(describe(first, "probe-before-restart").getWorkflowExecutionInfo().getStatus())
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }
    try (EmbeddedTemporal second = EmbeddedTemporal.start(port)) {
      assertThatThrownBy(() -> describe(second, "probe-before-restart"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
  }

  private static String runProbe(TemporalConfig config, String workflowId) {
    try (TemporalConnection connection = TemporalConnection.open(config);
        BreakglassWorker worker =
            BreakglassWorker.start(
                connection.client(),
                config,
                List.of(ProbeWorkflowImpl.class),
                List.of(ProbeActivity.answering("embedded")))) {
      ProbeWorkflow probe =
          connection
              .client()
              .newWorkflowStub(
                  ProbeWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(worker.taskQueue())
                      .setWorkflowId(workflowId)
                      .build());
      return probe.run("ping");
    }
  }

  private static DescribeWorkflowExecutionResponse describe(
      EmbeddedTemporal temporal, String workflowId) {
    TemporalConfig config = temporal.temporalConfig();
    try (TemporalConnection connection = TemporalConnection.open(config)) {
      return connection
          .stubs()
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(config.namespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build());
    }
  }

  private static InetAddress nonLoopbackAddress() {
    var address = ThisMachine.nonLoopbackAddress();
    assumeTrue(address.isPresent(), "this machine has no non-loopback address to probe from");
    return address.get();
  }
}
