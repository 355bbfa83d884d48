package io.breakglass.api.resources;

import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.Role;
import io.breakglass.api.core.RevokeRecoveries;
import io.breakglass.api.http.AuditTrail;
import io.breakglass.api.http.RateLimited;
import io.breakglass.api.wire.Accepted;
import io.breakglass.api.wire.Decision;
import io.breakglass.api.wire.RecoveryStarted;
import io.breakglass.api.wire.RestartReport;
import io.breakglass.api.wire.ResumeRequest;
import io.breakglass.api.wire.Unrevoke;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RecoveryStatus;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The way back after REVOKE: ask for an un-revoke of a secret's revoked version, read it, decide
 * its gate, and answer what it waits for. One un-revoke per rotation runs at a time, so it is
 * addressed by the rotation id.
 */
@Path("/api/rotations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class RecoveryResource {

  private final RevokeRecoveries recoveries;

  public RecoveryResource(RevokeRecoveries recoveries) {
    this.recoveries = recoveries;
  }

  /** 202: the un-revoke runs and waits for its approvals. */
  @POST
  @Path("{id}/versions/{secret}/unrevoke")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  @RateLimited(RateLimited.Kind.START)
  public Response unrevoke(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @PathParam("secret") String secret,
      @NotNull @Valid Unrevoke body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(request, "un-revoke " + secret + ": " + body.reason());
    RecoveryStarted started = recoveries.start(rotationId, secret, caller, body.reason());
    return Response.accepted(started).build();
  }

  @GET
  @Path("{id}/unrevoke")
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public RecoveryStatus status(@PathParam("id") String rotationId) {
    return recoveries.status(rotationId);
  }

  /**
   * {@code .../unrevoke/approve} or {@code .../unrevoke/reject}; the comment goes to the timeline,
   * the proof to the workflow.
   */
  @POST
  @Path("{id}/unrevoke/{verdict: approve|reject}")
  @RolesAllowed({Role.APPROVER, Role.ADMIN})
  @RateLimited(RateLimited.Kind.DECISION)
  public GateView decide(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @PathParam("verdict") String verdict,
      @NotNull @Valid Decision body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(request, verdict + " un-revoke: " + body.comment());
    if (body.overrides()) {
      throw new ClientErrorException("an un-revoke has no pre-flight to override", 422);
    }
    Verdict decision = verdict.equals("approve") ? Verdict.APPROVE : Verdict.REJECT;
    return recoveries.decide(rotationId, decision, caller, body.comment(), body.proof());
  }

  @POST
  @Path("{id}/unrevoke/restarts/{deployment}")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response confirmRestart(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @PathParam("deployment") String deployment,
      @NotNull @Valid RestartReport body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(
        request,
        "un-revoke restart of "
            + deployment
            + (body.ready() ? " ready: " : " NOT ready: ")
            + body.comment());
    recoveries.confirmRestart(rotationId, deployment, caller, body.ready(), body.comment());
    return Response.accepted(new Accepted(rotationId, "restart report for " + deployment + " sent"))
        .build();
  }

  @POST
  @Path("{id}/unrevoke/resume")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response resume(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @NotNull @Valid ResumeRequest body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(request, "un-revoke resume " + body.action() + ": " + body.comment());
    recoveries.resume(rotationId, caller, body.action(), body.comment());
    return Response.accepted(new Accepted(rotationId, "resume " + body.action() + " sent")).build();
  }
}
