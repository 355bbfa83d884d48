package io.breakglass.worker.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.util.function.Supplier;

/**
 * A client span for each workflow start, signal, update and query a client sends ({@code
 * StartWorkflow:<type>}, {@code SignalWorkflow:<signal>}, ...), its context in the call's Temporal
 * header so the workflow run it starts is its child.
 */
final class TracingClientInterceptor extends WorkflowClientInterceptorBase {

  private final Tracer tracer;

  TracingClientInterceptor(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(
      WorkflowClientCallsInterceptor next) {
    return new ClientSpans(next);
  }

  private final class ClientSpans extends WorkflowClientCallsInterceptorBase {

    ClientSpans(WorkflowClientCallsInterceptor next) {
      super(next);
    }

    @Override
    public WorkflowStartOutput start(WorkflowStartInput input) {
      return traced(
          "StartWorkflow:" + input.getWorkflowType(),
          input.getWorkflowId(),
          () -> super.start(input),
          input.getHeader());
    }

    @Override
    public WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input) {
      WorkflowStartInput start = input.getWorkflowStartInput();
      return traced(
          "SignalWithStartWorkflow:" + start.getWorkflowType(),
          start.getWorkflowId(),
          () -> super.signalWithStart(input),
          start.getHeader());
    }

    @Override
    public <R> WorkflowUpdateWithStartOutput<R> updateWithStart(
        WorkflowUpdateWithStartInput<R> input) {
      WorkflowStartInput start = input.getWorkflowStartInput();
      return traced(
          "UpdateWithStartWorkflow:" + start.getWorkflowType(),
          start.getWorkflowId(),
          () -> super.updateWithStart(input),
          start.getHeader(),
          input.getStartUpdateInput().getHeader());
    }

    @Override
    public WorkflowSignalOutput signal(WorkflowSignalInput input) {
      return traced(
          "SignalWorkflow:" + input.getSignalName(),
          input.getWorkflowExecution().getWorkflowId(),
          () -> super.signal(input),
          input.getHeader());
    }

    @Override
    public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
      return traced(
          "StartWorkflowUpdate:" + input.getUpdateName(),
          input.getWorkflowExecution().getWorkflowId(),
          () -> super.startUpdate(input),
          input.getHeader());
    }

    @Override
    public <R> QueryOutput<R> query(QueryInput<R> input) {
      return traced(
          "QueryWorkflow:" + input.getQueryType(),
          input.getWorkflowExecution().getWorkflowId(),
          () -> super.query(input),
          input.getHeader());
    }

    private <T> T traced(String name, String workflowId, Supplier<T> call, Header... headers) {
      Span span =
          tracer
              .spanBuilder(name)
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(TracingWorkerInterceptor.WORKFLOW_ID, workflowId)
              .startSpan();
      try (Scope scope = span.makeCurrent()) {
        for (Header header : headers) {
          TraceHeader.write(header, Context.current());
        }
        return call.get();
      } catch (RuntimeException e) {
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        throw e;
      } finally {
        span.end();
      }
    }
  }
}
