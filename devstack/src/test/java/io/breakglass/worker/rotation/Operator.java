package io.breakglass.worker.rotation;

import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * The humans of a test: watches the status query and answers what the rotation waits for with
 * signals, as configured (approvals per gate, a rejection, restart reports, a resume action). It
 * never calls {@code getResult}, so the test server never skips time while it works.
 */
public final class Operator implements AutoCloseable {

  private final RotationWorkflow rotation;
  private final Map<GateName, List<String>> approvals = new EnumMap<>(GateName.class);
  private final Map<GateName, String> rejections = new EnumMap<>(GateName.class);
  private final Map<GateName, Runnable> beforeDeciding = new EnumMap<>(GateName.class);
  private final Set<String> answered = new HashSet<>();
  private final AtomicInteger restarts = new AtomicInteger();
  private IntPredicate restartNotReady = n -> false;
  private boolean confirmsRestarts = true;
  private List<ResumeAction> decisions = List.of();
  private Thread thread;
  private volatile boolean stopped;
  private volatile RotationStatus last;

  public Operator(WorkflowClient client, String rotationId) {
    this.rotation =
        client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId(rotationId));
  }

  public Operator approves(GateName gate, String... approvers) {
    approvals.put(gate, List.of(approvers));
    return this;
  }

  /**
   * Does {@code action} when {@code gate} opens, before deciding it (to change the world mid-run).
   */
  public Operator whenOpen(GateName gate, Runnable action) {
    beforeDeciding.put(gate, action);
    return this;
  }

  public Operator rejects(GateName gate, String approver) {
    rejections.put(gate, approver);
    return this;
  }

  /** Reports the n-th restart (counting from 1) as not ready when {@code notReady} says so. */
  public Operator restartNotReady(IntPredicate notReady) {
    this.restartNotReady = notReady;
    return this;
  }

  /**
   * Confirms no restart: a target that restarts by itself needs no one, though the status lists its
   * restart as awaited while the restart activity runs.
   */
  public Operator confirmsNoRestarts() {
    this.confirmsRestarts = false;
    return this;
  }

  /** Answers the pending decisions, in order, with these actions. */
  public Operator decides(ResumeAction... actions) {
    this.decisions = List.of(actions);
    return this;
  }

  public Operator start() {
    thread = new Thread(this::watch, "test-operator");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Waits (in real time) until the rotation reports a terminal state; returns that status. */
  public RotationStatus awaitEnd(Duration timeout) {
    return awaitStatus(status -> status.state().terminal(), timeout);
  }

  /** Waits until {@code condition} holds for the status the operator last read. */
  public RotationStatus awaitStatus(
      java.util.function.Predicate<RotationStatus> condition, Duration timeout) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> last, status -> status != null && condition.test(status));
  }

  private void watch() {
    int decided = 0;
    while (!stopped) {
      try {
        RotationStatus status = rotation.status();
        last = status;
        if (status.state().terminal()) {
          return;
        }
        if (status.pendingGate() != null) {
          GateName gate = status.pendingGate().gate();
          String key = "gate:" + gate + ":" + status.gates().size();
          if (answered.add(key)) {
            beforeDeciding.getOrDefault(gate, () -> {}).run();
            if (rejections.containsKey(gate)) {
              rotation.reject(new Rejection(gate, rejections.get(gate), "test rejects"));
            } else {
              for (String approver : approvals.getOrDefault(gate, List.of())) {
                rotation.approve(new Approval(gate, approver, "looks good"));
              }
            }
          }
        }
        for (String deployment : confirmsRestarts ? status.pendingRestarts() : List.<String>of()) {
          String key = "restart:" + deployment + ":" + status.timeline().size();
          if (answered.add(key)) {
            boolean ready = !restartNotReady.test(restarts.incrementAndGet());
            rotation.confirmRestart(
                new RestartConfirmation(
                    deployment, "olivia", ready, ready ? "all pods ready" : "pods crash-looping"));
          }
        }
        PendingDecision pending = status.pendingDecision();
        if (pending != null && decided < decisions.size()) {
          String key = "decision:" + pending.since() + pending.reason();
          ResumeAction action = decisions.get(decided);
          if (pending.allowed().contains(action) && answered.add(key)) {
            decided++;
            rotation.resume(new Resume("olivia", action, "test decides " + action));
          }
        }
        Thread.sleep(15);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException transientQueryFailure) {
        // the workflow may be between tasks; try again
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    if (thread != null) {
      thread.join(2_000);
    }
  }
}
