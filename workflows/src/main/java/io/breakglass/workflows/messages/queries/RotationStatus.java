package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.util.List;

/**
 * Query {@code status}: everything an operator needs to see at a glance. Ids and counts only.
 *
 * @param rotationId the business id
 * @param kind emergency or routine
 * @param initiator who started it
 * @param secrets the secrets rotated
 * @param phase the current (or last) phase
 * @param state running, waiting for whom, or how it ended
 * @param pendingGate the open gate, or null
 * @param gates every gate opened so far
 * @param pendingDecision why it waits for a resume, or null
 * @param pendingRestarts deployments whose restart an operator must confirm
 * @param progress re-encryption progress per data set
 * @param versions versions created by this rotation
 * @param compensations registered compensations, in registration order
 * @param refusals signals the workflow refused
 * @param timeline the incident timeline so far
 * @param failure the failure type and message once it failed or rolled back, else null
 * @param initiatorVerification how PLAN verified the initiator ({@code verified: oidc <issuer>},
 *     {@code verified: ed25519 <kid>}, {@code unverified (allowUnsigned)}); null before PLAN
 * @param preflight the pre-flight before the proceed gate; null before it ran (and in rotations
 *     started before there was one)
 */
public record RotationStatus(
    String rotationId,
    RotationKind kind,
    String initiator,
    List<String> secrets,
    Phase phase,
    RotationState state,
    GateView pendingGate,
    List<GateView> gates,
    PendingDecision pendingDecision,
    List<String> pendingRestarts,
    List<DataSetProgress> progress,
    List<NewVersion> versions,
    List<CompensationView> compensations,
    List<Refusal> refusals,
    List<TimelineEntry> timeline,
    String failure,
    String initiatorVerification,
    PreflightView preflight) {

  /** A status without a pre-flight. */
  public RotationStatus(
      String rotationId,
      RotationKind kind,
      String initiator,
      List<String> secrets,
      Phase phase,
      RotationState state,
      GateView pendingGate,
      List<GateView> gates,
      PendingDecision pendingDecision,
      List<String> pendingRestarts,
      List<DataSetProgress> progress,
      List<NewVersion> versions,
      List<CompensationView> compensations,
      List<Refusal> refusals,
      List<TimelineEntry> timeline,
      String failure,
      String initiatorVerification) {
    this(
        rotationId,
        kind,
        initiator,
        secrets,
        phase,
        state,
        pendingGate,
        gates,
        pendingDecision,
        pendingRestarts,
        progress,
        versions,
        compensations,
        refusals,
        timeline,
        failure,
        initiatorVerification,
        null);
  }

  /** A status whose initiator's verification is not known. */
  public RotationStatus(
      String rotationId,
      RotationKind kind,
      String initiator,
      List<String> secrets,
      Phase phase,
      RotationState state,
      GateView pendingGate,
      List<GateView> gates,
      PendingDecision pendingDecision,
      List<String> pendingRestarts,
      List<DataSetProgress> progress,
      List<NewVersion> versions,
      List<CompensationView> compensations,
      List<Refusal> refusals,
      List<TimelineEntry> timeline,
      String failure) {
    this(
        rotationId,
        kind,
        initiator,
        secrets,
        phase,
        state,
        pendingGate,
        gates,
        pendingDecision,
        pendingRestarts,
        progress,
        versions,
        compensations,
        refusals,
        timeline,
        failure,
        null,
        null);
  }
}
