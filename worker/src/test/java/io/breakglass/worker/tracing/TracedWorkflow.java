package io.breakglass.worker.tracing;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A small workflow with the shapes a rotation has: an activity, a wait for a signal, another
 * activity, a child workflow with its own activity. Every call carries {@code secret}.
 */
@WorkflowInterface
public interface TracedWorkflow {

  String TASK_QUEUE = "traced";

  @WorkflowMethod
  String run(String secret);

  @SignalMethod
  void go();

  @QueryMethod
  boolean released();

  /** The child. */
  @WorkflowInterface
  interface Child {
    @WorkflowMethod
    String run(String secret);
  }

  /** The activities. */
  @ActivityInterface
  interface Steps {
    String before(String secret);

    String after(String secret);

    String inChild(String secret);
  }

  /** Returns the length of what it is given, so no result carries the secret either. */
  final class StepsImpl implements Steps {
    @Override
    public String before(String secret) {
      return "before " + secret.length();
    }

    @Override
    public String after(String secret) {
      return "after " + secret.length();
    }

    @Override
    public String inChild(String secret) {
      return "child " + secret.length();
    }
  }

  /** The workflow. */
  final class Impl implements TracedWorkflow {

    private final Steps steps =
        Workflow.newActivityStub(
            Steps.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private boolean released;

    @Override
    public String run(String secret) {
      String before = steps.before(secret);
      Workflow.await(() -> released);
      String after = steps.after(secret);
      String child =
          Workflow.newChildWorkflowStub(
                  Child.class,
                  ChildWorkflowOptions.newBuilder()
                      .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child")
                      .build())
              .run(secret);
      return before + ", " + after + ", " + child;
    }

    @Override
    public void go() {
      released = true;
    }

    @Override
    public boolean released() {
      return released;
    }
  }

  /** The child workflow. */
  final class ChildImpl implements Child {
    @Override
    public String run(String secret) {
      return Workflow.newActivityStub(
              Steps.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build())
          .inChild(secret);
    }
  }
}
