package io.breakglass.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.TemporalConfig;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans of a workflow run across a worker restart, on the test server: one trace from the client's
 * start through the run, its activities and its child; each run's span sent once, however often the
 * run is replayed; nothing when tracing is off; no secret in any span.
 */
class TracingTest {

  private static final String SECRET = "canary-k3y-material-0f9e8d7c";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private TestWorkflowEnvironment env;

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void givenTracingOn_aRunAcrossAWorkerRestart_isOneTraceWithEachRunSpanOnce() {
    Tracing tracing = Tracing.start(new TracingConfig(true, null, "breakglass-test"), spans);
    WorkflowClient client = client(tracing);
    String workflowId = "traced-1";

    BreakglassWorker first = worker(client, tracing);
    TracedWorkflow workflow =
        client.newWorkflowStub(
            TracedWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TracedWorkflow.TASK_QUEUE)
                .build());
    WorkflowClient.start(workflow::run, SECRET);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              tracing.flush();
              return names(spans.getFinishedSpanItems()).contains("RunActivity:Before");
            });
    assertThat(workflow.released()).isFalse();
    assertThat(names(spans.getFinishedSpanItems())).doesNotContain("RunWorkflow:TracedWorkflow");
    first.close();

    // The new worker has none of the run in memory: it replays the history, then goes on.
    BreakglassWorker second = worker(client, tracing);
    workflow.go();
    assertThat(client.newUntypedWorkflowStub(workflowId).getResult(String.class))
        .isEqualTo("before 28, after 28, child 28");
    // A query on a finished run replays it to its end (no workflow cache): no span again.
    assertThat(workflow.released()).isTrue();
    second.close();
    tracing.flush();

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData start = only(all, "StartWorkflow:TracedWorkflow");
    SpanData run = only(all, "RunWorkflow:TracedWorkflow");
    SpanData before = only(all, "RunActivity:Before");
    SpanData after = only(all, "RunActivity:After");
    SpanData child = only(all, "RunWorkflow:Child");
    SpanData inChild = only(all, "RunActivity:InChild");

    for (SpanData span : List.of(run, before, after, child, inChild)) {
      assertThat(span.getTraceId()).as(span.getName()).isEqualTo(start.getTraceId());
    }
    assertThat(run.getParentSpanId()).isEqualTo(start.getSpanId());
    assertThat(before.getParentSpanId()).isEqualTo(run.getSpanId());
    // Scheduled by the second worker after its replay: still under the same run span.
    assertThat(after.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(child.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(inChild.getParentSpanId()).isEqualTo(child.getSpanId());
    assertThat(run.getAttributes().get(TracingWorkerInterceptor.WORKFLOW_ID)).isEqualTo(workflowId);
    assertThat(run.getStartEpochNanos()).isLessThan(before.getStartEpochNanos());
    assertThat(run.getEndEpochNanos()).isGreaterThanOrEqualTo(inChild.getEndEpochNanos());

    assertThat(names(all)).contains("SignalWorkflow:go", "QueryWorkflow:released");
    assertThat(all.toString()).doesNotContain(SECRET).contains("breakglass-test");
    tracing.close();
  }

  @Test
  void givenTracingOff_theSameRunMakesNoSpan() {
    Tracing tracing = Tracing.start(TracingConfig.off(), spans);
    assertThat(tracing.enabled()).isFalse();
    assertThat(tracing.clientInterceptors()).isEmpty();
    assertThat(tracing.workerInterceptors()).isEmpty();
    WorkflowClient client = client(tracing);
    BreakglassWorker worker = worker(client, tracing);
    TracedWorkflow workflow =
        client.newWorkflowStub(
            TracedWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("untraced-1")
                .setTaskQueue(TracedWorkflow.TASK_QUEUE)
                .build());
    WorkflowClient.start(workflow::run, SECRET);
    workflow.go();
    assertThat(client.newUntypedWorkflowStub("untraced-1").getResult(String.class))
        .startsWith("before 28");
    worker.close();
    tracing.flush();
    tracing.close();

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  private WorkflowClient client(Tracing tracing) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setInterceptors(
                            tracing.clientInterceptors().toArray(WorkflowClientInterceptor[]::new))
                        .build())
                .build());
    return env.getWorkflowClient();
  }

  /** A worker with sticky execution off, as the embedded stack runs it: every task replays. */
  private static BreakglassWorker worker(WorkflowClient client, Tracing tracing) {
    List<WorkerInterceptor> interceptors = new ArrayList<>(tracing.workerInterceptors());
    return BreakglassWorker.start(
        client,
        new TemporalConfig(null, null, null, null, true, TracedWorkflow.TASK_QUEUE, 0, null),
        List.of(TracedWorkflow.Impl.class, TracedWorkflow.ChildImpl.class),
        List.of(new TracedWorkflow.StepsImpl()),
        interceptors);
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).toList();
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named " + name + " among " + names(spans)).hasSize(1);
    return named.get(0);
  }
}
