package io.breakglass.worker;

import com.google.protobuf.ByteString;
import io.breakglass.activities.metrics.PeriodicRefresh;
import io.breakglass.workflows.RotationSearchAttributes;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotations in flight, read from Temporal rather than counted by the workflow code: gauges {@code
 * breakglass_rotations_in_flight{phase}} (open {@code RotationWorkflow} executions in each phase)
 * and {@code breakglass_gates_waiting{gate}} (of those, the ones in state {@code AWAITING_APPROVAL}
 * at that gate), from the list of open executions and the {@link RotationSearchAttributes} each
 * keeps up to date; and {@code breakglass_gates_past_reminder{gate}}, the waiting ones whose gate
 * has passed its own first reminder ({@link GateView#firstReminderAt()}, read by the {@code status}
 * query of each waiting rotation: a gate's timeout is per rotation, so no fixed alert delay fits).
 *
 * <p>Why not from workflow code: a gauge set by a workflow lives in the registry of the worker that
 * last ran it. When the workflow moves (its worker dies, or its cached state is evicted and another
 * worker picks up the next task), the first worker's gauge keeps its last value forever and the new
 * worker reports nothing until the workflow changes phase again, since a replay reports no metrics.
 * The list of open executions is the truth every worker sees alike: each worker reports the same
 * numbers, so a query aggregates them with {@code max}, not {@code sum}.
 *
 * <p>Every phase and gate has a series, 0 when none is in it. A refresh that fails sets every gauge
 * to NaN (Prometheus shows no value) until the next one succeeds, so an unreachable Temporal never
 * reads as "nothing in flight".
 */
public final class RotationsInFlight implements AutoCloseable {

  /** The workflow type rotations run as (routine rotations too: they start one as a child). */
  static final String WORKFLOW_TYPE = "RotationWorkflow";

  private static final Logger log = LoggerFactory.getLogger(RotationsInFlight.class);

  private final WorkflowClient client;
  private final Clock clock;
  private final Map<Phase, Double> inPhase = new EnumMap<>(Phase.class);
  private final Map<GateName, Double> atGate = new EnumMap<>(GateName.class);
  private final Map<GateName, Double> pastReminder = new EnumMap<>(GateName.class);
  private PeriodicRefresh refreshing;

  public RotationsInFlight(WorkflowClient client) {
    this(client, Clock.systemUTC());
  }

  /**
   * @param clock what "now" is when a gate's first reminder is compared with it (Temporal's time,
   *     in tests that skip time)
   */
  public RotationsInFlight(WorkflowClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    for (Phase phase : Phase.values()) {
      inPhase.put(phase, Double.NaN);
    }
    for (GateName gate : GateName.values()) {
      atGate.put(gate, Double.NaN);
      pastReminder.put(gate, Double.NaN);
    }
  }

  /** How often a worker re-lists the open rotations; a scrape never calls Temporal. */
  public static final Duration REFRESH = Duration.ofSeconds(15);

  /** Registers the gauges in {@code registry} and refreshes them every {@link #REFRESH}. */
  public static RotationsInFlight watch(WorkflowClient client, MeterRegistry registry) {
    RotationsInFlight inFlight = new RotationsInFlight(client);
    inFlight.bindTo(registry);
    inFlight.refreshEvery(REFRESH);
    return inFlight;
  }

  /** Registers a gauge per phase and per gate in {@code registry}. */
  public void bindTo(MeterRegistry registry) {
    for (Phase phase : Phase.values()) {
      Gauge.builder("breakglass_rotations_in_flight", this, r -> r.inPhase(phase))
          .description("Open rotations in this phase, as Temporal lists them")
          .tag("phase", phase.name())
          .register(registry);
    }
    for (GateName gate : GateName.values()) {
      Gauge.builder("breakglass_gates_waiting", this, r -> r.atGate(gate))
          .description("Open rotations waiting for approval at this gate, as Temporal lists them")
          .tag("gate", gate.name())
          .register(registry);
      Gauge.builder("breakglass_gates_past_reminder", this, r -> r.pastReminder(gate))
          .description(
              "Open rotations still waiting at this gate after its first reminder went out")
          .tag("gate", gate.name())
          .register(registry);
    }
  }

  /** Refreshes now, then every {@code interval} on a daemon thread until closed. */
  public synchronized void refreshEvery(Duration interval) {
    if (refreshing != null) {
      throw new IllegalStateException("already refreshing");
    }
    refreshing = PeriodicRefresh.start("breakglass-rotations-in-flight", this::refresh, interval);
  }

  /** Lists the open rotations and updates every gauge; on failure every gauge reads NaN. */
  public void refresh() {
    Map<Phase, Double> phases = new EnumMap<>(Phase.class);
    Map<GateName, Double> gates = new EnumMap<>(GateName.class);
    Map<GateName, Double> overdue = new EnumMap<>(GateName.class);
    for (Phase phase : Phase.values()) {
      phases.put(phase, 0.0);
    }
    for (GateName gate : GateName.values()) {
      gates.put(gate, 0.0);
      overdue.put(gate, 0.0);
    }
    try {
      OpenRotationPages pages = new OpenRotationPages();
      do {
        ListOpenWorkflowExecutionsResponse page = pages.next();
        for (WorkflowExecutionInfo listed : page.getExecutionsList()) {
          // The time-skipping test server lists every type, whatever the filter says.
          if (listed.getType().getName().equals(WORKFLOW_TYPE)) {
            GateName waiting = count(withSearchAttributes(listed), phases, gates);
            if (waiting != null && pastItsReminder(listed)) {
              overdue.merge(waiting, 1.0, Double::sum);
            }
          }
        }
      } while (pages.more());
    } catch (RuntimeException e) {
      log.warn("rotations in flight not refreshed: {}", e.getMessage());
      phases.replaceAll((phase, n) -> Double.NaN);
      gates.replaceAll((gate, n) -> Double.NaN);
      overdue.replaceAll((gate, n) -> Double.NaN);
    }
    synchronized (this) {
      inPhase.putAll(phases);
      atGate.putAll(gates);
      pastReminder.putAll(overdue);
    }
  }

  /**
   * Whether the rotation's open gate, as its {@code status} query shows it, passed its reminder.
   */
  private boolean pastItsReminder(WorkflowExecutionInfo listed) {
    GateView gate =
        client
            .newWorkflowStub(
                RotationWorkflow.class,
                listed.getExecution().getWorkflowId(),
                Optional.of(listed.getExecution().getRunId()))
            .status()
            .pendingGate();
    return gate != null && !Instant.now(clock).isBefore(gate.firstReminderAt());
  }

  /**
   * {@code listed} itself when it carries the search attributes (a real server's list does);
   * otherwise the execution as described one by one (the time-skipping test server lists without
   * them).
   */
  private WorkflowExecutionInfo withSearchAttributes(WorkflowExecutionInfo listed) {
    if (listed
        .getSearchAttributes()
        .containsIndexedFields(RotationSearchAttributes.PHASE.getName())) {
      return listed;
    }
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(listed.getExecution())
                .build())
        .getWorkflowExecutionInfo();
  }

  /** Counts {@code info} in its phase and gate; returns the gate it waits at, or null. */
  private static GateName count(
      WorkflowExecutionInfo info, Map<Phase, Double> phases, Map<GateName, Double> gates) {
    Phase phase = enumValue(info, RotationSearchAttributes.PHASE.getName(), Phase.class);
    if (phase == null) {
      // Not published yet (the first workflow task has not run) or a history from before search
      // attributes: it is in flight, in its first phase as far as anyone can tell.
      phase = Phase.PLAN;
    }
    phases.merge(phase, 1.0, Double::sum);
    RotationState state =
        enumValue(info, RotationSearchAttributes.STATE.getName(), RotationState.class);
    if (state != RotationState.AWAITING_APPROVAL || !phase.name().startsWith("GATE_")) {
      return null;
    }
    GateName gate = GateName.valueOf(phase.name().substring("GATE_".length()));
    gates.merge(gate, 1.0, Double::sum);
    return gate;
  }

  private static <E extends Enum<E>> E enumValue(
      WorkflowExecutionInfo info, String attribute, Class<E> type) {
    Payload payload = info.getSearchAttributes().getIndexedFieldsMap().get(attribute);
    if (payload == null) {
      return null;
    }
    String name =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private synchronized double inPhase(Phase phase) {
    return inPhase.get(phase);
  }

  private synchronized double atGate(GateName gate) {
    return atGate.get(gate);
  }

  private synchronized double pastReminder(GateName gate) {
    return pastReminder.get(gate);
  }

  /** Stops the scheduled refresh. */
  @Override
  public synchronized void close() {
    if (refreshing != null) {
      refreshing.close();
      refreshing = null;
    }
  }

  /** The pages of open {@link #WORKFLOW_TYPE} executions in the client's namespace. */
  private final class OpenRotationPages {
    private ByteString token = ByteString.EMPTY;

    ListOpenWorkflowExecutionsResponse next() {
      ListOpenWorkflowExecutionsResponse page =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .listOpenWorkflowExecutions(
                  ListOpenWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(WORKFLOW_TYPE))
                      .setMaximumPageSize(1_000)
                      .setNextPageToken(token)
                      .build());
      token = page.getNextPageToken();
      return page;
    }

    boolean more() {
      return !token.isEmpty();
    }
  }
}
