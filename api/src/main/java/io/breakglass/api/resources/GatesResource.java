package io.breakglass.api.resources;

import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.Role;
import io.breakglass.api.core.Rotations;
import io.breakglass.api.http.AuditTrail;
import io.breakglass.api.http.RateLimited;
import io.breakglass.api.wire.Decision;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * Approving or rejecting a rotation's open gate. The approver is the caller; a proof the caller
 * sends goes with the decision to the workflow (the caller's bearer token never does). The answer
 * is the gate as it now stands, or 403/409/422 with the rule the decision breaks.
 */
@Path("/api/rotations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class GatesResource {

  private final Rotations rotations;

  public GatesResource(Rotations rotations) {
    this.rotations = rotations;
  }

  /**
   * {@code .../approve} or {@code .../reject}; the comment goes to the timeline, the proof to the
   * workflow.
   */
  @POST
  @Path("{id}/gates/{gate}/{verdict: approve|reject}")
  @RolesAllowed({Role.APPROVER, Role.ADMIN})
  @RateLimited(RateLimited.Kind.DECISION)
  public GateView decide(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @PathParam("gate") String gate,
      @PathParam("verdict") String verdict,
      @NotNull @Valid Decision body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(
        request,
        verdict
            + (body.overrides() ? " overriding the pre-flight" : "")
            + " gate "
            + gate
            + ": "
            + body.comment());
    Verdict decision = verdict.equals("approve") ? Verdict.APPROVE : Verdict.REJECT;
    if (body.overrides() && decision != Verdict.APPROVE) {
      throw new ClientErrorException(
          "overridePreflight goes with an approval; a rejection overrides nothing", 422);
    }
    return rotations.decide(
        rotationId, gate, decision, body.overrides(), caller, body.comment(), body.proof());
  }
}
