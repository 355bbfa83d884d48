package io.breakglass.api.resources;

import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.Role;
import io.breakglass.api.core.Rotations;
import io.breakglass.api.http.AuditTrail;
import io.breakglass.api.wire.Accepted;
import io.breakglass.api.wire.Comment;
import io.breakglass.api.wire.RestartReport;
import io.breakglass.api.wire.ResumeRequest;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Steering a running rotation: halt, resume, cancel, and reporting on a manual restart. Each is a
 * signal, so the answer is 202; 409 when the rotation is not in a state that takes it.
 */
@Path("/api/rotations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class ControlResource {

  private final Rotations rotations;

  public ControlResource(Rotations rotations) {
    this.rotations = rotations;
  }

  @POST
  @Path("{id}/halt")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response halt(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @NotNull @Valid Comment body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(request, "halt: " + body.comment());
    rotations.halt(rotationId, caller, body.comment());
    return accepted(rotationId, "halt sent: the step in flight finishes, then the rotation waits");
  }

  @POST
  @Path("{id}/resume")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response resume(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @NotNull @Valid ResumeRequest body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(request, "resume " + body.action() + ": " + body.comment());
    rotations.resume(rotationId, caller, body.action(), body.comment());
    return accepted(rotationId, "resume " + body.action() + " sent");
  }

  @POST
  @Path("{id}/cancel")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response cancel(
      @PathParam("id") String rotationId,
      @NotNull @Valid Comment body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(request, "cancel: " + body.comment());
    rotations.cancel(rotationId, body.comment());
    return accepted(rotationId, "cancellation sent: compensations run, then the rotation ends");
  }

  @POST
  @Path("{id}/restarts/{deployment}")
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response confirmRestart(
      @Auth Caller caller,
      @PathParam("id") String rotationId,
      @PathParam("deployment") String deployment,
      @NotNull @Valid RestartReport body,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(
        request,
        "restart of " + deployment + (body.ready() ? " ready: " : " NOT ready: ") + body.comment());
    rotations.confirmRestart(rotationId, deployment, caller, body.ready(), body.comment());
    return accepted(rotationId, "restart report for " + deployment + " sent");
  }

  private static Response accepted(String rotationId, String message) {
    return Response.accepted(new Accepted(rotationId, message)).build();
  }
}
