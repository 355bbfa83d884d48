package io.breakglass.worker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.concurrent.TimeUnit;

/**
 * Spans of the worker: one {@code RunWorkflow:<type>} span per workflow run, a child of the span in
 * its start header (the client that started it, the parent workflow, the previous run), and one
 * {@code RunActivity:<type>} span per activity attempt, a child of the workflow run that scheduled
 * it.
 *
 * <p>The run span's ids are derived from the run id ({@link WorkflowSpanIds}) and the span is sent
 * once, when the run completes, fails, is cancelled or continues as new, and only if that moment is
 * not replayed: a replay never sends a span, yet activities scheduled after a worker restart still
 * hang under the same run span. A run that has not ended yet shows its activities with their parent
 * still to come.
 */
final class TracingWorkerInterceptor extends WorkerInterceptorBase {

  static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("temporal.workflow_id");
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("temporal.run_id");
  static final AttributeKey<String> ACTIVITY_ID = AttributeKey.stringKey("temporal.activity_id");

  private final Tracer tracer;

  TracingWorkerInterceptor(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new RunSpan(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivitySpan(next);
  }

  /** One per workflow run: knows the run's span context and sends the span when the run ends. */
  private final class RunSpan extends WorkflowInboundCallsInterceptorBase {

    private Context parent = Context.root();
    private SpanContext run = SpanContext.getInvalid();
    private boolean ended;

    RunSpan(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(WorkflowOutboundCallsInterceptor outbound) {
      super.init(new Propagation(outbound));
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      parent = TraceHeader.read(input.getHeader());
      run =
          WorkflowSpanIds.of(
              Workflow.getInfo().getRunId(), Span.fromContext(parent).getSpanContext());
      try {
        WorkflowOutput output = super.execute(input);
        end(null);
        return output;
      } catch (TemporalFailure failure) {
        // Fails or cancels the run. Any other exception fails only the workflow task, which the
        // worker retries: the run goes on.
        end(failure);
        throw failure;
      }
    }

    /** Context for what this run starts: its own span as the parent. */
    Context runContext() {
      return Context.root().with(Span.wrap(run));
    }

    void end(TemporalFailure failure) {
      if (ended || Workflow.isReplaying()) {
        return;
      }
      ended = true;
      WorkflowInfo info = Workflow.getInfo();
      Span span =
          WorkflowSpanIds.startWith(
              run,
              () ->
                  tracer
                      .spanBuilder("RunWorkflow:" + info.getWorkflowType())
                      .setParent(parent)
                      .setSpanKind(SpanKind.SERVER)
                      .setStartTimestamp(info.getRunStartedTimestampMillis(), TimeUnit.MILLISECONDS)
                      .setAttribute(WORKFLOW_ID, info.getWorkflowId())
                      .setAttribute(RUN_ID, info.getRunId())
                      .startSpan());
      if (failure != null) {
        // The type only: a failure message may quote an operator's input.
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      }
      span.end(Workflow.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    /** Puts the run's span context into the headers of everything the run starts. */
    private final class Propagation extends WorkflowOutboundCallsInterceptorBase {

      Propagation(WorkflowOutboundCallsInterceptor next) {
        super(next);
      }

      @Override
      public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
        TraceHeader.write(input.getHeader(), runContext());
        return super.executeActivity(input);
      }

      @Override
      public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
        TraceHeader.write(input.getHeader(), runContext());
        return super.executeLocalActivity(input);
      }

      @Override
      public <R> ChildWorkflowOutput<R> executeChildWorkflow(ChildWorkflowInput<R> input) {
        TraceHeader.write(input.getHeader(), runContext());
        return super.executeChildWorkflow(input);
      }

      @Override
      public void continueAsNew(ContinueAsNewInput input) {
        TraceHeader.write(input.getHeader(), runContext());
        end(null);
        super.continueAsNew(input);
      }
    }
  }

  /** One span per activity attempt, current while the activity runs. */
  private final class ActivitySpan extends ActivityInboundCallsInterceptorBase {

    private ActivityInfo info;

    ActivitySpan(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      info = context.getInfo();
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      Span span =
          tracer
              .spanBuilder("RunActivity:" + info.getActivityType())
              .setParent(TraceHeader.read(input.getHeader()))
              .setSpanKind(SpanKind.SERVER)
              .setAttribute(WORKFLOW_ID, info.getWorkflowId())
              .setAttribute(RUN_ID, info.getRunId())
              .setAttribute(ACTIVITY_ID, info.getActivityId())
              .startSpan();
      try (Scope scope = span.makeCurrent()) {
        return super.execute(input);
      } catch (RuntimeException | Error e) {
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        throw e;
      } finally {
        span.end();
      }
    }
  }
}
