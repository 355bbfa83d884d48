package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.ApprovalActivities.IssuerKeys;
import io.breakglass.workflows.activities.ApprovalActivities.KeysRequest;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.approval.ProofRefusedException;
import io.breakglass.workflows.approval.ProofVerifier;
import io.breakglass.workflows.approval.VerifiedProof;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.Jwk;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Who starts and who decides, proven: checks each proof against the plan's {@link ApprovalPolicy}
 * in workflow time, holds the identity provider's keys (fetched by an activity, so a replay checks
 * against the same keys) and remembers every proof that counted, so that one proof counts once.
 */
final class Proofs {

  private static final Logger log = ContextLogger.of(Proofs.class);

  /**
   * How often one gate (or PLAN) may fetch the identity provider's keys again for a token whose key
   * is not held: once for a key the provider rotated in, once more after a failed fetch. The bound
   * keeps a stream of tokens with made-up key ids from filling the history with fetches.
   */
  private static final int REFETCHES = 2;

  private final RotationContext rotation;
  private final Set<String> spent = new HashSet<>();
  private List<Jwk> issuerKeys = List.of();
  private int refetchesLeft = REFETCHES;

  Proofs(RotationContext rotation) {
    this.rotation = rotation;
  }

  /** The plan's policy; a plan made before approvals were verified accepts unsigned decisions. */
  ApprovalPolicy policy() {
    ApprovalPolicy policy =
        rotation.plan == null || rotation.plan.policy() == null
            ? null
            : rotation.plan.policy().approvals();
    return policy == null ? ApprovalPolicy.unsignedOnly() : policy;
  }

  /**
   * Who {@code claimed} is for {@code binding}, as {@code proof} proves it: pure, so the {@code
   * decide} validator may call it. Without a proof, only where the policy allows unsigned
   * decisions; with one, the proof must verify, speak for {@code claimed} (when named) after
   * normalisation, and not have counted before.
   */
  Judgement identify(ProofBinding binding, String claimed, String proof) {
    ApprovalPolicy policy = policy();
    boolean named = claimed != null && !claimed.isBlank();
    if (proof == null) {
      if (!named) {
        return Judgement.refused("a decision needs the name of who decides");
      }
      if (!policy.allowUnsigned()) {
        return Judgement.refused(
            "a proof is required: an identity provider's token or a statement signed with"
                + " `breakglass approval sign` (unsigned decisions count only where"
                + " approvals.allowUnsigned is true)");
      }
      return Judgement.counts(Identity.unverified(claimed, unsignedReason()));
    }
    VerifiedProof verified;
    try {
      verified =
          new ProofVerifier(policy, issuerKeys).verify(proof, binding, RotationContext.now());
    } catch (ProofRefusedException refused) {
      String reason = "the proof is refused: " + refused.getMessage();
      return refused.unknownIssuerKey()
          ? Judgement.refusedForUnknownKey(reason)
          : Judgement.refused(reason);
    } catch (RuntimeException unexpected) {
      // A verifier bug must refuse the one decision, not leave every workflow task retrying.
      log.error(
          "proof for {} of {} not checkable", binding.action(), rotation.rotationId(), unexpected);
      return Judgement.refused(
          "the proof could not be checked (" + unexpected.getClass().getSimpleName() + ")");
    }
    if (named && !PersonNames.same(claimed, verified.subject())) {
      return Judgement.refused(
          "the proof speaks for " + verified.subject() + ", not " + claimed.strip());
    }
    if (spent.contains(verified.replayKey())) {
      return Judgement.refused(
          "this proof has counted before; one proof counts once: make a new one");
    }
    return Judgement.counts(Identity.proven(verified));
  }

  /**
   * {@link #identify}, fetching the identity provider's keys again first when a token names a key
   * not held and the fetches allowed are not used up. It may block on the activity: for signal and
   * update handlers and the workflow's own thread, never for a validator.
   */
  Judgement identifyFetching(ProofBinding binding, String claimed, String proof) {
    Judgement judgement = identify(binding, claimed, proof);
    if (mayFetchFor(judgement)) {
      refetchesLeft--;
      fetchIssuerKeys();
      judgement = identify(binding, claimed, proof);
    }
    return judgement;
  }

  /**
   * True when {@code judgement} may change once the identity provider's keys are fetched again: a
   * validator then lets the decision through for its handler to judge after the fetch.
   */
  boolean mayFetchFor(Judgement judgement) {
    return judgement.needsIssuerKeys() && refetchesLeft > 0;
  }

  /** A gate opened: fetch the identity provider's keys when one is configured. */
  void gateOpened() {
    refetchesLeft = REFETCHES;
    if (policy().issuer() != null) {
      fetchIssuerKeys();
    }
  }

  /** Records that the proof behind {@code identity} counted: it never counts again. */
  void spend(Identity identity) {
    if (identity.replayKey() != null) {
      spent.add(identity.replayKey());
    }
  }

  private String unsignedReason() {
    boolean planned =
        rotation.plan != null
            && rotation.plan.policy() != null
            && rotation.plan.policy().approvals() != null;
    return planned ? "unverified (allowUnsigned)" : "unverified (the plan has no approval policy)";
  }

  /** Keeps the keys held when the fetch fails: statements still count, and so do known keys. */
  private void fetchIssuerKeys() {
    String issuer = policy().issuer();
    if (issuer == null) {
      return;
    }
    try {
      IssuerKeys fetched =
          rotation.activities.approvals.issuerKeys(new KeysRequest(rotation.rotationId(), issuer));
      issuerKeys = fetched.keys() == null ? List.of() : List.copyOf(fetched.keys());
    } catch (TemporalFailure failed) {
      if (CancellationScope.current().isCancelRequested()) {
        throw failed;
      }
      log.warn(
          "keys of {} not fetched for {}: {}",
          issuer,
          rotation.rotationId(),
          Failures.describe(failed));
      rotation.event(
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "the identity provider's keys could not be fetched ("
              + Failures.describe(failed)
              + "); its tokens are refused until a fetch succeeds, signed statements still count");
    }
  }
}
