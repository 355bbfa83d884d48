package io.breakglass.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.wire.RotationDetail;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The incident report says, for the initiator and every approval, whether and how it was verified.
 */
class ReportVerificationTest {

  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void theReport_marksEachApprovalAndTheInitiator_verifiedOrNot_andHow() {
    GateView proceed =
        new GateView(
            GateName.PROCEED,
            GateState.APPROVED,
            2,
            List.of(
                new ApprovalView("bob", "checked", AT, true, "ed25519 bob-2026"),
                new ApprovalView("carol", "ok", AT, false, "unverified (allowUnsigned)")),
            "carol",
            null,
            AT,
            AT.plusSeconds(3600));
    RotationStatus status =
        new RotationStatus(
            "r1",
            RotationKind.EMERGENCY,
            "alice",
            List.of("jwt"),
            Phase.GATE_REVOKE,
            RotationState.AWAITING_APPROVAL,
            null,
            List.of(proceed),
            null,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null,
            "verified: oidc https://login.example.com/realms/ops");

    IncidentReport report = IncidentReport.of(new RotationDetail(null, status, List.of()));
    String markdown = ReportMarkdown.render(report);

    assertThat(report.initiatorVerification())
        .isEqualTo("verified: oidc https://login.example.com/realms/ops");
    assertThat(markdown)
        .contains("- **Initiator:** alice (verified: oidc https://login.example.com/realms/ops)")
        .contains("  - approved by bob (verified: ed25519 bob-2026) at " + AT)
        .contains("  - approved by carol (unverified (allowUnsigned)) at " + AT);
  }
}
