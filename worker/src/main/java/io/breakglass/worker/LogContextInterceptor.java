package io.breakglass.worker;

import io.breakglass.workflows.LogContext;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;

/**
 * Puts a rotation's log fields ({@link LogContext}: rotation id, workflow id, run id, phase, and
 * the activity type for activities) into SLF4J's MDC for as long as each workflow thread and each
 * activity call runs, and removes them after: the worker reuses its threads for other workflows and
 * activities, which must not inherit them.
 *
 * <p>A workflow's rotation id and phase travel to the activities and child workflows it starts as
 * two plain headers; neither is secret (the rotation id is part of the workflow id).
 */
public final class LogContextInterceptor extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowFields(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityFields(next);
  }

  /** Runs {@code body} with this workflow's fields in the MDC of the thread running it. */
  private static Runnable withWorkflowFields(Runnable body) {
    return () -> {
      LogContext.putWorkflowFields();
      try {
        body.run();
      } finally {
        LogContext.removeFields();
      }
    };
  }

  private static final class WorkflowFields extends WorkflowInboundCallsInterceptorBase {

    WorkflowFields(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(WorkflowOutboundCallsInterceptor outbound) {
      super.init(new Propagation(outbound));
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      String rotationId = read(input.getHeader(), LogContext.ROTATION_ID_HEADER);
      if (rotationId != null) {
        LogContext.inherit(rotationId, read(input.getHeader(), LogContext.PHASE_HEADER));
      }
      return super.execute(input);
    }

    @Override
    public Object newWorkflowMethodThread(Runnable runnable, String name) {
      return super.newWorkflowMethodThread(withWorkflowFields(runnable), name);
    }

    @Override
    public Object newCallbackThread(Runnable runnable, String name) {
      return super.newCallbackThread(withWorkflowFields(runnable), name);
    }
  }

  /** Child threads get the fields; started activities and child workflows get the headers. */
  private static final class Propagation extends WorkflowOutboundCallsInterceptorBase {

    Propagation(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      write(input.getHeader());
      return super.executeActivity(input);
    }

    @Override
    public <R> ChildWorkflowOutput<R> executeChildWorkflow(ChildWorkflowInput<R> input) {
      write(input.getHeader());
      return super.executeChildWorkflow(input);
    }

    @Override
    public Object newChildThread(Runnable runnable, boolean detached, String name) {
      return super.newChildThread(withWorkflowFields(runnable), detached, name);
    }

    private static void write(Header header) {
      put(header, LogContext.ROTATION_ID_HEADER, LogContext.rotationId());
      put(header, LogContext.PHASE_HEADER, LogContext.phase());
    }

    private static void put(Header header, String key, String value) {
      if (value != null) {
        header.getValues().put(key, DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).get());
      }
    }
  }

  private static final class ActivityFields extends ActivityInboundCallsInterceptorBase {

    private ActivityInfo info;

    ActivityFields(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      info = context.getInfo();
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      LogContext.putOrRemove(
          LogContext.ROTATION_ID, read(input.getHeader(), LogContext.ROTATION_ID_HEADER));
      LogContext.putOrRemove(LogContext.WORKFLOW_ID, info.getWorkflowId());
      LogContext.putOrRemove(LogContext.RUN_ID, info.getRunId());
      LogContext.putOrRemove(LogContext.PHASE, read(input.getHeader(), LogContext.PHASE_HEADER));
      LogContext.putOrRemove(LogContext.ACTIVITY_TYPE, info.getActivityType());
      try {
        return super.execute(input);
      } finally {
        LogContext.removeFields();
      }
    }
  }

  private static String read(Header header, String key) {
    Payload value = header == null ? null : header.getValues().get(key);
    return value == null
        ? null
        : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(value, String.class, String.class);
  }
}
