package io.breakglass.api.resources;

import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.Role;
import io.breakglass.api.core.Rotations;
import io.breakglass.api.http.AuditTrail;
import io.breakglass.api.http.RateLimited;
import io.breakglass.api.wire.RotationDetail;
import io.breakglass.api.wire.RotationRecord;
import io.breakglass.api.wire.RotationStarted;
import io.breakglass.api.wire.StartRotation;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;

/** Rotations: start one, list them (from the audit store), read one. */
@Path("/api/rotations")
@Produces(MediaType.APPLICATION_JSON)
public final class RotationsResource {

  private final Rotations rotations;

  public RotationsResource(Rotations rotations) {
    this.rotations = rotations;
  }

  /**
   * 201 with the new rotation and a relative {@code Location} (never built from the request's
   * {@code Host}); 200 when the same request had started it already.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  @RateLimited(RateLimited.Kind.START)
  public Response start(
      @Auth Caller caller,
      @NotNull @Valid StartRotation body,
      @Context UriInfo uri,
      @Context ContainerRequestContext request) {
    AuditTrail.detail(
        request, "start " + body.kind() + " rotation of " + body.secrets() + ": " + body.reason());
    RotationStarted started = rotations.start(body, caller);
    return (started.created()
            ? Response.created(
                URI.create(
                    uri.getAbsolutePathBuilder().path(started.rotationId()).build().getRawPath()))
            : Response.ok())
        .entity(started)
        .build();
  }

  @GET
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public List<RotationRecord> list(@QueryParam("limit") @DefaultValue("50") int limit) {
    return rotations.list(limit);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public RotationDetail detail(@PathParam("id") String rotationId) {
    return rotations.detail(rotationId);
  }
}
