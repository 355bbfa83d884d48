package io.breakglass.worker.dev;

import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.lock.TemporalHolderWorkflows;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.ProgressBar;
import io.breakglass.worker.sample.SampleTraffic;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo: one emergency rotation of both data keys on the dev stack, with two demo approvers and
 * a demo operator who confirms the restarts, showing progress as it runs. Afterwards it scans every
 * item and passes only if the rotation completed, every check passed, and no item is left under an
 * old key id. On a stack with the sample service (the whole runbook) it also passes only if every
 * HTTP smoke check passed, METRIC_WATCH ran and succeeded, and none of the requests of the
 * service's light traffic during the rotation failed.
 */
public final class DemoRotation {

  static final List<String> APPROVERS = List.of("demo-approver-1", "demo-approver-2");
  static final String INITIATOR = "demo-initiator";
  static final String OPERATOR = "demo-operator";
  static final List<String> DATA_KEYS = List.of(DevSettings.ARTIFACT_KEY, DevSettings.PAYLOAD_KEY);

  /** The sample service's clients wait this long between requests: a light load beside the demo. */
  private static final Duration LIGHT = Duration.ofMillis(20);

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /**
   * @param passed whether every check passed
   * @param rotationId the rotation
   * @param status its final status
   * @param problems what did not pass, empty when passed
   */
  public record Outcome(
      boolean passed, String rotationId, RotationStatus status, List<String> problems) {}

  private final DevStack stack;
  private final PrintStream out;

  public DemoRotation(DevStack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  /**
   * Rotates both data keys and checks the outcome. A demo rotation whose workflow still runs (its
   * process was killed and the real Temporal server kept it) is driven to its end instead of a new
   * one, which its secret locks would refuse.
   */
  public Outcome run(Duration timeout) throws InterruptedException {
    WorkflowClient client = stack.client();
    Optional<String> inFlight = demoInFlight();
    String rotationId = inFlight.orElseGet(() -> "demo-" + ID_TIME.format(Instant.now()));
    String workflowId = RotationWorkflow.workflowId(rotationId);
    RotationWorkflow rotation =
        inFlight.isPresent()
            ? client.newWorkflowStub(RotationWorkflow.class, workflowId)
            : client.newWorkflowStub(
                RotationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(stack.taskQueue())
                    .setWorkflowId(workflowId)
                    .build());
    RotationRequest request =
        new RotationRequest(
            rotationId,
            DATA_KEYS,
            RotationKind.EMERGENCY,
            INITIATOR,
            "demo: the data keys may have been exposed",
            APPROVERS.size(),
            null);
    out.println();
    out.println(
        inFlight.isPresent()
            ? "emergency rotation "
                + rotationId
                + " is still in flight (its workflow outlived the process that started it):"
                + " the demo drives it to its end"
            : "starting emergency rotation " + rotationId + " of " + request.secrets());
    stack
        .temporal()
        .webUi()
        .ifPresent(
            ui ->
                out.println(
                    "  in the Temporal Web UI: "
                        + ui
                        + "/namespaces/default/workflows/"
                        + workflowId));
    out.println(
        "the revoke gate opens once the deployment has run "
            + stack.settings().policy().monitoringInterval()
            + " on the new versions (one monitoring interval, shortened for the demo; production default PT15M)");
    SampleTraffic traffic =
        stack.sampleService().map(service -> SampleTraffic.start(service, LIGHT)).orElse(null);
    RotationStatus end;
    try {
      if (inFlight.isEmpty()) {
        WorkflowClient.start(rotation::rotate, request);
      }
      end = drive(rotation, Instant.now().plus(timeout));
    } finally {
      if (traffic != null) {
        traffic.close();
      }
    }
    List<String> validations =
        stack.history().find(rotationId).map(RotationRow::validations).orElse(List.of());
    int httpChecksPassed = httpChecksPassed(validations);
    DemoReport.print(end, httpChecksPassed, stack.settings().smokeChecks().size(), out);
    List<String> problems = problems(end);
    if (traffic != null) {
      problems.addAll(wholeRunbook(end, httpChecksPassed));
      problems.addAll(sampleService(validations, traffic));
    }
    out.println();
    out.println(
        problems.isEmpty() ? "DEMO PASSED: every check passed" : "DEMO FAILED: " + problems);
    return new Outcome(problems.isEmpty(), rotationId, end, problems);
  }

  /**
   * The demo rotation still recorded RUNNING whose workflow Temporal still runs, if any. One whose
   * workflow is gone (the test server forgets everything when its process dies) is not: a new
   * rotation takes its locks over, and revokes what it left.
   */
  private Optional<String> demoInFlight() {
    TemporalHolderWorkflows workflows = new TemporalHolderWorkflows(stack.client());
    return stack.history().running().stream()
        .filter(row -> INITIATOR.equals(row.initiator()) && row.workflowId() != null)
        .filter(
            row ->
                workflows
                    .status(row.workflowId())
                    .equals(Optional.of(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)))
        .map(RotationRow::rotationId)
        .findFirst();
  }

  /** Plays the humans until the rotation ends. */
  private RotationStatus drive(RotationWorkflow rotation, Instant deadline)
      throws InterruptedException {
    Phase shown = null;
    Map<String, Long> barShown = new HashMap<>();
    Set<String> done = new HashSet<>();
    while (Instant.now().isBefore(deadline)) {
      RotationStatus status = rotation.status();
      if (status.phase() != shown) {
        shown = status.phase();
        out.printf("[%2d/14] %s%n", shown.number(), shown);
      }
      if (status.state().terminal()) {
        return status;
      }
      for (DataSetProgress p : status.progress()) {
        long step = p.itemsPlanned() == 0 ? 1 : Math.max(1, p.itemsPlanned() / 5);
        long last = barShown.getOrDefault(p.dataSet() + p.targetKeyId(), -1L);
        if (p.itemsDone() / step != last / step
            || (p.shardsDone() == p.shardsTotal() && last != p.itemsDone())) {
          barShown.put(p.dataSet() + p.targetKeyId(), p.itemsDone());
          out.printf(
              "        %-16s %s%n",
              p.dataSet(), ProgressBar.render(p.itemsDone(), p.itemsPlanned()));
        }
      }
      GateView gate = status.pendingGate();
      if (gate != null) {
        for (String approver : APPROVERS) {
          if (done.add("gate " + gate.gate() + " " + approver)) {
            GateView after =
                rotation.decide(
                    new GateDecision(gate.gate(), Verdict.APPROVE, approver, "demo approval"));
            out.printf(
                "        gate %s: approved by %s (%d/%d)%n",
                gate.gate(), approver, after.approvals().size(), after.required());
          }
        }
      }
      for (String deployment : status.pendingRestarts()) {
        // The status lists any restart in flight; only a manual one is the operator's to confirm.
        if (restartedByHand(deployment)
            && done.add("restart " + deployment + " " + status.timeline().size())) {
          rotation.confirmRestart(
              new RestartConfirmation(
                  deployment, OPERATOR, true, "demo: restarted, all pods ready"));
          out.printf("        restart of %s confirmed by %s%n", deployment, OPERATOR);
        }
      }
      if (status.pendingDecision() != null
          && done.add("decision " + status.pendingDecision().since())) {
        out.println("        the rotation needs a decision: " + status.pendingDecision().reason());
        status
            .pendingDecision()
            .consequences()
            .forEach(
                (action, consequence) ->
                    out.println("        " + action + " means: " + consequence));
        out.println("        the demo rolls back");
        rotation.resume(
            new Resume(OPERATOR, ResumeAction.ROLLBACK, "demo: roll back on any failure"));
      }
      Thread.sleep(150);
    }
    throw new IllegalStateException("the demo rotation did not end in time; last phase " + shown);
  }

  private boolean restartedByHand(String deployment) {
    return stack.settings().deployments().stream()
        .anyMatch(d -> d.name().equals(deployment) && d.target() == DeploymentTargetType.MANUAL);
  }

  /** How many of the configured smoke checks passed, by the rotation's validation lines. */
  private int httpChecksPassed(List<String> validations) {
    return (int)
        stack.settings().smokeChecks().stream()
            .filter(
                check ->
                    validations.stream()
                        .anyMatch(line -> line.startsWith("smoke " + check.name() + ": passed")))
            .count();
  }

  /**
   * A completed rotation on the sample service ran the whole runbook: every HTTP smoke check
   * passed, and METRIC_WATCH ran (it could be skipped if its configuration went missing).
   */
  private List<String> wholeRunbook(RotationStatus end, int httpChecksPassed) {
    List<String> problems = new ArrayList<>();
    if (end.failure() != null) {
      return problems;
    }
    int configured = stack.settings().smokeChecks().size();
    if (configured == 0 || httpChecksPassed < configured) {
      problems.add("HTTP smoke checks: " + httpChecksPassed + " of " + configured + " passed");
    }
    DemoReport.verdict(end, Phase.METRIC_WATCH)
        .filter(watch -> watch.outcome() != TimelineOutcome.SUCCEEDED)
        .ifPresent(
            watch -> problems.add("METRIC_WATCH " + watch.outcome() + ": " + watch.detail()));
    return problems;
  }

  /**
   * The sample service's side: the checks the rotation ran against it, and its clients' requests
   * during the rotation, none of which may have failed.
   */
  private List<String> sampleService(List<String> validations, SampleTraffic traffic) {
    out.println();
    out.println("checks:");
    validations.forEach(v -> out.println("  " + v));
    SampleTraffic.Counts counts = traffic.counts();
    out.println();
    out.printf(
        "sample service during the rotation: %d writes, %d reads, %d failed writes, %d failed reads%n",
        counts.writes(), counts.reads(), counts.failedWrites(), counts.failedReads());
    traffic.failures().forEach(f -> out.println("  failed: " + f));
    if (counts.failures() > 0) {
      return List.of(
          "sample service: " + counts.failures() + " failed request(s) during the rotation");
    }
    if (counts.writes() == 0 || counts.reads() == 0) {
      return List.of("sample service: no traffic during the rotation");
    }
    return List.of();
  }

  /** What keeps the demo from passing: the outcome, the checks, and a full scan of every item. */
  private List<String> problems(RotationStatus end) {
    List<String> problems = new ArrayList<>();
    if (end.failure() != null) {
      problems.add("rotation ended " + end.state() + ": " + end.failure());
      return problems;
    }
    out.println();
    out.println("verify-only scan of every item:");
    for (NewVersion version : end.versions()) {
      for (ProtectedDataSet dataSet : stack.dataSets().of(version.secret())) {
        ScanReport scan =
            new DataSetScanner(
                    dataSet.name(),
                    dataSet.store(),
                    dataSet.codec(),
                    new StoreKeyring(stack.store()))
                .scan(20, n -> {});
        KeyId fresh = new KeyId(version.secret(), version.versionId());
        long underOld = scan.items() - scan.itemsUnder(fresh.toString()) - scan.undecryptable();
        out.printf(
            "  %-16s %6d items, %6d under %s, %d still under an old key id, %d undecryptable%n",
            dataSet.name(),
            scan.items(),
            scan.itemsUnder(fresh.toString()),
            fresh,
            underOld,
            scan.undecryptable());
        if (underOld != 0 || scan.undecryptable() != 0) {
          problems.add(
              dataSet.name()
                  + ": "
                  + underOld
                  + " under old keys, "
                  + scan.undecryptable()
                  + " undecryptable");
        }
      }
    }
    return problems;
  }
}
